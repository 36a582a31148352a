"""From HTML to PDF: WeasyPrint, its fonts and pictures, kashida, and the finishing of each edition."""
