"""Small shared helpers for the Streamlit pages: translation table, formatting, cached context."""
