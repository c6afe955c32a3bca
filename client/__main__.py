"""``gridcounter``: the counter client. Parses the command line, then hands over to the Qt composition root."""

from __future__ import annotations

import argparse


def build_parser() -> argparse.ArgumentParser:
    """The command line of the counter client."""
    parser = argparse.ArgumentParser(prog="gridcounter", description="GridCounter counter client")
    parser.add_argument("--server", help="server URL to prefill and save, e.g. https://gridcounter.example:8443")
    parser.add_argument("--counter", help="counter code to prefill and save, e.g. H0101-01")
    parser.add_argument("--ca", help="CA certificate (PEM) to pin: copied to the data folder, fingerprint in keyring")
    parser.add_argument("--device-key-file", help="device key file from `gridcounter-server counter enroll`")
    parser.add_argument("--printer", metavar="HOST:PORT",
                        help="receipt printer (ESC/POS over TCP) to save, e.g. 192.168.1.50:9100; none removes it")
    parser.add_argument("--printer-paper", type=int, choices=[58, 80], help="receipt paper width in mm (default 80)")
    parser.add_argument("--locale", choices=["zh_CN", "en"], help="interface language for this run")
    parser.add_argument("--screenshot", metavar="PATH", help="save a PNG of the login window once it is painted")
    parser.add_argument("--exit-after-screenshot", action="store_true", help="quit after --screenshot")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``gridcounter`` GUI script."""
    args = build_parser().parse_args(argv)
    from client.ui.app import run  # Qt loads only after the arguments are valid

    return run(args)


if __name__ == "__main__":
    raise SystemExit(main())
