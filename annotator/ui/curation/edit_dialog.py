"""E in the curation view: the curator's own version of a disagreement, saved as "edited".

Prefilled from one annotator's option (the lane in focus, else the first that tagged
something), it offers the words any annotator tagged there, the label, and for a label with
error fields the error type, correction and note. Enter in the correction saves: the usual
path is E, fix the correction, Enter.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from annotator.core.curation import Disagreement, Tag
from annotator.core.tagset import Tagset
from annotator.ui.curation.settle import quoted
from annotator.ui.widgets.label_palette import color_swatch


class EditTagDialog(QDialog):
    def __init__(
        self,
        tagset: Tagset,
        text: str,
        disagreement: Disagreement,
        prefill: Tag,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("curationEditDialog")
        self.setWindowTitle("Curated span")
        self._tagset = tagset
        self._text = text
        self._prefill = prefill

        self.words = QComboBox()
        self.words.setObjectName("editWords")
        self.words.setAccessibleName("Words")
        extents = sorted({(t.start, t.end) for t in disagreement.everything()})
        for start, end in extents:
            self.words.addItem(quoted(text[start:end], 60), (start, end))
        self.words.setCurrentIndex(
            max(
                0,
                extents.index((prefill.start, prefill.end))
                if (prefill.start, prefill.end) in extents
                else 0,
            )
        )
        self.label = QComboBox()
        self.label.setObjectName("editLabel")
        self.label.setAccessibleName("Label")
        for label in tagset.labels:
            self.label.addItem(color_swatch(label.color), label.name, label.key)
        self.error_type = QComboBox()
        self.error_type.setObjectName("editErrorType")
        self.error_type.setAccessibleName("Error type")
        self.correction = QLineEdit(prefill.correction or "")
        self.correction.setObjectName("editCorrection")
        self.correction.setAccessibleName("Correction")
        self.note = QPlainTextEdit(prefill.note or "")
        self.note.setObjectName("editNote")
        self.note.setAccessibleName("Note")
        self.note.setTabChangesFocus(True)
        self.note.setFixedHeight(self.note.fontMetrics().lineSpacing() * 4 + 12)

        form = QFormLayout()
        form.addRow("&Words:", self.words)
        form.addRow("&Label:", self.label)
        form.addRow("Error &type:", self.error_type)
        form.addRow("&Correction:", self.correction)
        form.addRow("&Note:", self.note)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)

        self.label.currentIndexChanged.connect(self._label_changed)
        index = self.label.findData(prefill.label)
        self.label.setCurrentIndex(max(index, 0))
        self._label_changed()
        if prefill.error_type:
            self.error_type.setCurrentIndex(max(self.error_type.findData(prefill.error_type), 0))
        first = self.correction if self.correction.isEnabled() else self.label
        first.setFocus()

    def _label_changed(self) -> None:
        """Error fields only for a label that has them (the tagset says which)."""
        label = self._tagset.get(self.label.currentData())
        kept = self.error_type.currentData()
        self.error_type.clear()
        self.error_type.addItem("—", None)
        for value in label.error_types if label else ():
            self.error_type.addItem(value.replace("_", " "), value)
        self.error_type.setCurrentIndex(max(self.error_type.findData(kept), 0))
        attributes = label.text_attributes if label else ()
        self.error_type.setEnabled(bool(label and label.error_types))
        self.correction.setEnabled("correction" in attributes)
        self.note.setEnabled("note" in attributes)

    def tag(self) -> Tag:
        start, end = self.words.currentData()
        label = self.label.currentData()
        same = (start, end, label) == self._prefill.key  # value and entity belong to that tag
        correction = self.correction.text().strip() if self.correction.isEnabled() else ""
        note = self.note.toPlainText().strip() if self.note.isEnabled() else ""
        return Tag(
            start,
            end,
            label,
            self._text[start:end],
            self.error_type.currentData() if self.error_type.isEnabled() else None,
            correction or None,
            note or None,
            self._prefill.value if same else None,
            self._prefill.entity if same else None,
        )
