"""fleetaudit: audit the network a VoIP service runs over."""

__version__ = "0.1.0"
