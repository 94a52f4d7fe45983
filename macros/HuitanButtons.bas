Attribute VB_Name = "HuitanButtons"
Option Explicit

' huitan-xl: one Sub per Excel button. Each runs one job of the Python package
' huitan_xl through xlwings (RunPython, from the xlwings VBA module of the same
' version as the installed Python package). All logic and all Chinese text live
' in Python: this file stays ASCII; captions are built from Unicode code points.

Sub HuitanValidate()
    RunPython "import huitan_xl.excel as x; x.validate()"
End Sub

Sub HuitanOverdue()
    RunPython "import huitan_xl.excel as x; x.overdue()"
End Sub

Sub HuitanDeductions()
    RunPython "import huitan_xl.excel as x; x.deductions()"
End Sub

Sub HuitanRewards()
    RunPython "import huitan_xl.excel as x; x.rewards()"
End Sub

Sub HuitanReport()
    RunPython "import huitan_xl.excel as x; x.report()"
End Sub

Sub HuitanAssess()
    RunPython "import huitan_xl.excel as x; x.assess()"
End Sub

Sub HuitanSuggest()
    RunPython "import huitan_xl.excel as x; x.suggest_attendees()"
End Sub

Sub HuitanForms()
    RunPython "import huitan_xl.excel as x; x.forms()"
End Sub

Sub HuitanNotice()
    RunPython "import huitan_xl.excel as x; x.notice()"
End Sub

Sub HuitanMinutes()
    RunPython "import huitan_xl.excel as x; x.minutes()"
End Sub

' Text from space-separated hexadecimal Unicode code points, e.g. U("8BF4 660E").
Private Function U(codes As String) As String
    Dim parts() As String, i As Long
    parts = Split(codes, " ")
    For i = LBound(parts) To UBound(parts)
        U = U & ChrW(CLng("&H" & parts(i)))
    Next i
End Function

' Puts one button per job in column D of the README sheet (the sheet named
' U("8BF4 660E")), next to the input cells. Run again to rebuild them.
Sub HuitanAddButtons()
    Dim ws As Worksheet, cell As Range, b As Object
    Dim macros As Variant, captions As Variant, i As Long
    Set ws = ThisWorkbook.Worksheets(U("8BF4 660E"))
    macros = Array("HuitanValidate", "HuitanOverdue", "HuitanDeductions", "HuitanRewards", "HuitanReport", "HuitanAssess", "HuitanSuggest", "HuitanForms", "HuitanNotice", "HuitanMinutes")
    captions = Array( _
        U("6821 9A8C"), _
        U("903E 671F 7763 529E"), _
        U("8003 6838 6263 5206"), _
        U("5B63 5EA6 5956 52B1"), _
        U("6708 5EA6 5206 6790"), _
        U("5E74 5EA6 8003 6838"), _
        U("63A8 8350 53C2 4F1A 4EBA 5458"), _
        U("8BC9 6C42 627F 529E 5355"), _
        U("7B54 590D 516C 793A"), _
        U("6167 8C08 7EAA 8981"))
    For i = LBound(macros) To UBound(macros)
        On Error Resume Next
        ws.Buttons("huitan_" & macros(i)).Delete
        On Error GoTo 0
        Set cell = ws.Range("D" & (3 + i))
        Set b = ws.Buttons.Add(cell.Left + 6, cell.Top + 1, 110, cell.Height - 2)
        b.Name = "huitan_" & macros(i)
        b.OnAction = macros(i)
        b.Caption = captions(i)
    Next i
End Sub
