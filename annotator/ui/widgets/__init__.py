"""The widgets the window is built from: the article view and its painter, the inspector, the
label palette, the annotation table, the document list, the history panel."""
