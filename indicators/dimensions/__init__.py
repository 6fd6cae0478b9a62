"""One module per smart-city dimension, each registering that dimension's derived indicators.

Importing this package registers every derivation in :data:`indicators.derived.REGISTRY`.
"""

from indicators.dimensions import branding, economy, environment, governance, living, society

__all__ = ["branding", "economy", "environment", "governance", "living", "society"]
