"""The readings tests borrow the UI suite's locale fixtures for the sentences of anomalies and refusals."""

from tests.ui.conftest import qm_dir, use_locale

__all__ = ["qm_dir", "use_locale"]
