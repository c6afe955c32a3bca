"""The supervisor's co-signature on the same screen (SPEC C1): user name and password of a second person.

Added to any form whose call carries the co-sign header (``RpcClient.call(..., cosign=...)``); the
server checks the credential and the co-signer's permission, and both names go into the audit record.
"""

from __future__ import annotations

from PySide6.QtWidgets import QFormLayout, QLabel, QLineEdit, QWidget

from client.core.rpc_client import Cosign


class CosignFields(QWidget):
    """A hint, the co-signer's user name and password; :meth:`cosign` reads them."""

    def __init__(self, *, hint: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("cosignFields")
        self.hint_label = QLabel(hint)
        self.hint_label.setObjectName("cosignHintLabel")
        self.hint_label.setWordWrap(True)
        self.username_edit = QLineEdit()
        self.username_edit.setObjectName("cosignUsernameEdit")
        self.password_edit = QLineEdit()
        self.password_edit.setObjectName("cosignPasswordEdit")
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        form.addRow(self.hint_label)
        form.addRow(self.tr("Supervisor user name"), self.username_edit)
        form.addRow(self.tr("Supervisor password"), self.password_edit)

    def cosign(self) -> Cosign | None:
        """The co-signature typed in, or None unless both fields are filled."""
        username = self.username_edit.text().strip()
        password = self.password_edit.text()
        if not (username and password):
            return None
        return Cosign(username=username, password=password)

    def clear(self) -> None:
        """Forget what was typed (after a refusal the supervisor types the password again)."""
        self.password_edit.clear()
