"""Indonesian PER/LOC/ORG tagger on top of the offline base encoder."""
