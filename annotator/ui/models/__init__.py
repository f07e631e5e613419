"""Qt item models and the plain structures behind the views: the annotation table's and
document list's models, the article view's span index, and whose span is whose."""
