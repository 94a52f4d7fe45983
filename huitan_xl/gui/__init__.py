"""The staff window (`huitan gui`): app.py is the Tk window, support.py what it needs
besides Tk (job buttons, periods, lock files, the remembered workbook, the launcher)."""
