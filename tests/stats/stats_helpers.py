"""Constants shared by the tests of evalkit.stats (imported as ``stats_helpers``)."""

#: The ja5 scale, most positive first.
JA5 = ["大変満足", "満足", "どちらともいえない", "不満", "大変不満"]
#: Interval methods of evalkit.proportion_ci.
METHODS = ["wilson", "clopper-pearson", "agresti-coull", "jeffreys"]
#: The same methods as statsmodels.stats.proportion.proportion_confint names them.
SM_NAMES = {
    "wilson": "wilson",
    "clopper-pearson": "beta",
    "agresti-coull": "agresti_coull",
    "jeffreys": "jeffreys",
}
