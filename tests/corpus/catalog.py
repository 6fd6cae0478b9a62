"""A small catalog with hand-picked units, so the loader tests do not depend on data/catalog.csv."""

from __future__ import annotations

import io

import pandas as pd

from indicators.catalog import Catalog, catalog_from_frame

CATALOG_CSV = """code,parent,level,name_id,name_en,unit,direction
IKC,,index,Indeks Kota Cerdas,Smart City Index,0-100,
SS,IKC,dimension,Masyarakat Cerdas,Smart Society,0-100,
SS-SE,SS,element,Keamanan,Security,0-100,
SS-SE-02,SS-SE,indicator,Persentase PJU berfungsi,Share of street lights working,%,higher
SS-SE-03,SS-SE,indicator,Persentase CCTV publik online,Share of public CCTV online,%,higher
SS-CO-02,SS-SE,indicator,Titik wifi publik aktif per 10.000 penduduk,Wifi points per 10000 residents,per 10000,higher
SV,IKC,dimension,Lingkungan Cerdas,Smart Environment,0-100,
SV-EN,SV,element,Manajemen Energi,Energy,0-100,
SV-EN-01,SV-EN,indicator,Persentase PJU LED,Share of street lights LED,%,higher
SV-WA-04,SV-EN,indicator,Persentase TPS bersih dan tidak meluber,Share of waste points clean,%,higher
SL-MO-01,SV-EN,indicator,Persentase penduduk dalam 500 m dari halte,Population within 500 m of public transport,%,higher
SE-IN-01,SV-EN,indicator,Pertumbuhan ekonomi riil,Real GRDP growth,%,higher
SG-PS-04,SV-EN,indicator,Rata-rata waktu penyelesaian aduan,Mean complaint-resolution time,days,lower
SB-BB-02,SV-EN,indicator,Jumlah perusahaan rintisan,Number of startups,count,higher
SE-WE-03,SV-EN,indicator,Rasio Gini,Gini ratio,0-1,lower
VAR-POP,,variable,Jumlah penduduk,Population,persons,
VAR-AREA,,variable,Luas wilayah,Land area,km2,
VAR-WIFI-ACTIVE,,variable,Jumlah titik wifi publik aktif,Active public wifi points,points,
"""


def small_catalog() -> Catalog:
    frame = pd.read_csv(io.StringIO(CATALOG_CSV), dtype=str, keep_default_na=False)
    return catalog_from_frame(frame)


def catalog_csv_bytes() -> bytes:
    return CATALOG_CSV.encode("utf-8")
