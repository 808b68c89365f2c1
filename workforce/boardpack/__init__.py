"""The board pack: one run's figures, charts, narrative and assumptions for one staff group and
year, as a PDF and a PowerPoint file for a board paper.

`narrative` words the numbers (pure, no Django); `content` gathers them from the same
selectors and charts as the system dashboard, so the pack never shows a figure the dashboard
does not; `images` draws the charts' Plotly figures to PNG with the system's Chromium;
`documents` lays the pack out as PDF (Chromium prints an HTML page) and as PPTX.
"""
