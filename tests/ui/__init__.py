"""Qt tests of the client shell, offscreen, in both locales."""
