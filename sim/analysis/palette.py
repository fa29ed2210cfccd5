"""Colours of the charts: one per cluster, one per land status, and the targets'.

Qualitative and, as far as 13 categories allow, colour-blind safe: Paul Tol's "muted"
scheme (nine colours, safe for the common colour-vision deficiencies) extended with four of
his "vibrant" ones that stay distinct from it. Land statuses use Okabe and Ito's colours,
apart from every cluster's, and grey is kept for comparisons (baseline, previous run).
"""

from __future__ import annotations

CLUSTER_COLOURS = (
    "#332288",
    "#88CCEE",
    "#44AA99",
    "#117733",
    "#999933",
    "#DDCC77",
    "#CC6677",
    "#882255",
    "#AA4499",
    "#EE7733",
    "#0077BB",
    "#EE3377",
    "#FFAABB",
)
LAND_COLOURS = {"in_use": "#0072B2", "idle": "#E69F00", "vacant": "#F0E442", "preparing": "#56B4E9"}
TARGET_COLOURS = ("#D55E00", "#7B3294")
CURRENT = "#0072B2"
BASELINE = "#7F7F7F"
PREVIOUS = "#B07AA1"
