"""Component sheets in and out: streaming readers, validation, all-or-nothing import, export."""
