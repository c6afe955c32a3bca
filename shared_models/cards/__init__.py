"""The prepaid IC card as data: its files, APDUs and MAC scheme (pure; no keys, no cipher, no I/O).

``files`` encodes and decodes the card's files (DOMAIN §7.2), ``apdu`` builds and parses the ISO 7816-4
commands the counter and the meter send, ``crypto`` holds the key diversification and MAC scheme over an
injected block cipher (the concrete SM4/AES ciphers live with their users: ``shared_models`` may not import a
crypto library). docs/card-format.md describes all three.
"""
