"""Editors for RunConfig fields, built from the pydantic field types: the wizard's settings and guard pages."""
from __future__ import annotations

import typing
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtGui import QDoubleValidator
from PySide6.QtWidgets import QCheckBox, QComboBox, QHBoxLayout, QLineEdit, QSpinBox, QWidget


def field_info(dotted: str) -> Any:
    """The pydantic FieldInfo of a dotted RunConfig path (e.g. training.batch_size)."""
    from core.config.schema import RunConfig

    model: Any = RunConfig
    info = None
    for part in dotted.split("."):
        info = model.model_fields[part]
        model = info.annotation
    return info


def get_value(config: Any, dotted: str) -> Any:
    value = config
    for part in dotted.split("."):
        value = getattr(value, part)
    return value


def _kind(annotation: Any) -> tuple[str, tuple[Any, ...], bool]:
    """('bool'|'int'|'float'|'choice'|'text', choices, optional)."""
    args = typing.get_args(annotation)
    optional = type(None) in args
    if optional:
        rest = [a for a in args if a is not type(None)]
        annotation = rest[0] if len(rest) == 1 else annotation
        args = typing.get_args(annotation)
    if typing.get_origin(annotation) is typing.Literal:
        return "choice", args, optional
    if annotation is bool:
        return "bool", (), optional
    if annotation is int:
        return "int", (), optional
    if annotation is float:
        return "float", (), optional
    return "text", (), optional


class FieldEditor(QWidget):
    """One editor for one dotted field; `changed(dotted, value)` when the user edits it."""

    changed = Signal(str, object)

    def __init__(self, dotted: str, none_text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.dotted = dotted
        self.setObjectName("field_" + dotted.replace(".", "_"))
        info = field_info(dotted)
        self.kind, self.choices, self.optional = _kind(info.annotation)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self._loading = False
        if self.kind == "bool":
            self.editor: QWidget = QCheckBox()
            self.editor.toggled.connect(self._emit)
        elif self.kind == "choice":
            self.editor = QComboBox()
            for choice in self.choices:
                self.editor.addItem(str(choice), choice)
            self.editor.currentIndexChanged.connect(self._emit)
        elif self.kind == "int":
            self.editor = QSpinBox()
            self.editor.setRange(-1 if dotted == "training.max_steps" else 0, 10_000_000)
            if self.optional or dotted == "training.max_steps":
                self.editor.setSpecialValueText(none_text)
            self.editor.valueChanged.connect(self._emit)
        else:
            self.editor = QLineEdit()
            if self.kind == "float":
                self.editor.setValidator(QDoubleValidator())
            self.editor.editingFinished.connect(self._emit)
        self.editor.setObjectName("edit_" + dotted.replace(".", "_"))
        layout.addWidget(self.editor)

    def set_value(self, value: Any) -> None:
        self._loading = True
        try:
            if self.kind == "bool":
                self.editor.setChecked(bool(value))
            elif self.kind == "choice":
                self.editor.setCurrentIndex(max(0, self.editor.findData(value)))
            elif self.kind == "int":
                self.editor.setValue(self.editor.minimum() if value is None else int(value))
            else:
                self.editor.setText("" if value is None else f"{value:g}" if isinstance(value, float) else str(value))
        finally:
            self._loading = False

    def value(self) -> Any:
        if self.kind == "bool":
            return self.editor.isChecked()
        if self.kind == "choice":
            return self.editor.currentData()
        if self.kind == "int":
            v = self.editor.value()
            if self.optional and v == self.editor.minimum():
                return None
            return v
        text = self.editor.text().strip().replace(",", ".")
        if self.kind == "float":
            if not text:
                return None
            try:
                return float(text)
            except ValueError:
                return text
        return text or None

    def _emit(self, *args: Any) -> None:
        if not self._loading:
            self.changed.emit(self.dotted, self.value())
