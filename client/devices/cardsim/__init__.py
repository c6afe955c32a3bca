"""Our own prepaid CPU card and meter, for tests, the demo and developers (never used by a counter in production).

``card`` is the card's APDU machine (files of docs/card-format.md, challenge, authentication, MAC'd updates,
state persisted as JSON), ``vpcd`` plugs it into a real ``pcscd`` through the vsmartcard ``vpcd`` virtual reader,
``meter`` credits it by DOMAIN §7.3, ``keys`` holds the ciphers and the fixed TEST master keys, ``issuer`` writes
cards as counter and key service together will, and
``python -m client.devices.cardsim`` is the command line.
"""
