"""A chart kept between redraws: its frame drawn once, only its data drawn again.

Most of what drawing a matplotlib figure from nothing costs is building axes and ticks
and laying them out (constrained layout measures every label). A step adds one quarter to
every chart of the run, so a `LiveFigure` keeps the figure with what does not change
(axes, titles, axis labels, targets, the comparison runs), removes the artists its last
data drew, draws the new data, and lays the figure out again only when an axis's longest
tick label changes length. A step then costs about a third of a fresh figure
(`python -m benchmarks.web_page`).

A layout is the same for every session whose chart has the same frame and tick label
lengths, so the axes' places it finds are kept per server (`LAYOUTS`) and a session's
first run reuses what an earlier session measured. So are the axis labels' places:
matplotlib otherwise measures every tick label again at each drawing to keep an axis
label clear of them (a fifth of a kept chart's drawing), though they move only when the
layout does. Titles are placed at the top of their axes by the charts for the same
reason (`TITLE_Y`: no tick labels or offset text above the axes).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import TYPE_CHECKING

from matplotlib.artist import Artist
from matplotlib.axis import Axis
from matplotlib.figure import Figure
from matplotlib.layout_engine import ConstrainedLayoutEngine
from matplotlib.transforms import Bbox, Transform

from sim.web.chart_tips import forget_tip

if TYPE_CHECKING:
    from sim.model.model import IndustryModel

Plot = Callable[[Figure, "IndustryModel"], None]
Place = tuple[tuple[Bbox, ...], tuple[tuple[float, float], ...]]  # axes' boxes, axis labels' (x, y)
TITLE_Y = 1.0  # a title's place, set rather than measured at every drawing: the top of its axes


class Layouts:
    """Axes' places found by constrained layout, by frame and tick label lengths; shared by sessions.

    Sessions run on threads of their own, so the table is read and written under a lock;
    what it holds is frozen (immutable) boxes. Bounded: uploaded scenarios add frames.
    """

    def __init__(self, size: int = 256) -> None:
        self._places: OrderedDict[Hashable, Place] = OrderedDict()
        self._size = size
        self._guard = threading.Lock()

    def get(self, key: Hashable) -> Place | None:
        with self._guard:
            places = self._places.get(key)
            if places is not None:
                self._places.move_to_end(key)
            return places

    def put(self, key: Hashable, places: Place) -> None:
        with self._guard:
            self._places[key] = places
            self._places.move_to_end(key)
            while len(self._places) > self._size:
                self._places.popitem(last=False)


LAYOUTS = Layouts()


def _tick_label_lengths(figure: Figure) -> tuple[int, ...]:
    """The longest tick label of each axis: when one grows or shrinks, the layout must follow."""
    lengths = []
    for ax in figure.axes:
        for axis in (ax.xaxis, ax.yaxis):
            labels = axis.get_major_formatter().format_ticks(list(axis.get_majorticklocs()))
            lengths.append(max((len(label) for label in labels), default=0))
    return tuple(lengths)


class LiveFigure:
    """A figure framed once (`figure`, laid out by constrained layout) and `plot` drawing its data.

    `draw(model)` replaces the data `plot` drew last time with the model's data now. Axes'
    data limits are reset first, so autoscaling follows the new data alone. `frame`
    names everything the frame shows (the chart, its language, horizon, targets, clusters,
    comparisons): charts with the same `frame` share their layouts through `layouts`
    (by default the server's `LAYOUTS`, as it is when the chart is made).
    """

    def __init__(self, figure: Figure, plot: Plot, frame: Hashable, layouts: Layouts | None = None) -> None:
        self.figure = figure
        self.plot = plot
        self.frame = frame
        self._layouts = LAYOUTS if layouts is None else layouts
        self._engine = ConstrainedLayoutEngine()
        figure.set_layout_engine("none")  # laid out here, when the scale changes, not at every save
        self._drawn: list[Artist] = []
        self._laid_out_for: tuple[int, ...] | None = None
        # Every axis (matplotlib places even an empty label) and its label's own transform
        self._labelled: list[tuple[Axis, Transform]] = [
            (axis, axis.label.get_transform()) for ax in figure.axes for axis in (ax.xaxis, ax.yaxis)
        ]

    def _labels_by_tick_labels(self) -> None:
        """Undo `set_label_coords`: matplotlib places each axis label by its tick labels again."""
        for axis, own in self._labelled:
            axis._autolabelpos = True  # type: ignore[attr-defined]  # what set_label_coords turns off
            axis.label.set_transform(own)

    def _measure_labels(self) -> tuple[tuple[float, float], ...]:
        """Where matplotlib puts each axis label now, clear of the tick labels, in axes coordinates."""
        self._labels_by_tick_labels()
        renderer = self.figure._get_renderer()  # type: ignore[attr-defined]  # constrained layout's
        coords = []
        for axis, _ in self._labelled:
            axis.get_tightbbox(renderer)  # moves the label clear of the tick labels
            shown = axis.label.get_transform().transform(axis.label.get_position())
            x, y = axis.axes.transAxes.inverted().transform(shown)
            coords.append((float(x), float(y)))
        return tuple(coords)

    def _lay_out(self, lengths: tuple[int, ...]) -> None:
        """Place the axes for these tick label lengths: as measured before, else measured now."""
        key = (self.frame, lengths)
        found = self._layouts.get(key)
        if found is None:
            self._labels_by_tick_labels()  # as constrained layout expects them
            self._engine.execute(self.figure)
            places = tuple(ax.get_position(original=True).frozen() for ax in self.figure.axes)
            labels = self._measure_labels()
            self._layouts.put(key, (places, labels))
        else:
            places, labels = found
            for ax, place in zip(self.figure.axes, places, strict=True):
                ax.set_position(place, which="both")
                ax.set_in_layout(True)  # set_position takes it out; a later measure needs it in
        for (axis, _), (x, y) in zip(self._labelled, labels, strict=True):
            axis.set_label_coords(x, y)
        self._laid_out_for = lengths

    def draw(self, model: IndustryModel) -> Figure:
        """The figure with the model's data now; the frame and (mostly) its layout reused."""
        for artist in self._drawn:
            forget_tip(artist)
            artist.remove()
        for ax in self.figure.axes:  # a bar chart's container, its bars removed above
            ax.containers.clear()
        before = {id(artist) for ax in self.figure.axes for artist in ax.get_children()}
        for ax in self.figure.axes:
            ax.ignore_existing_data_limits = True
        self.plot(self.figure, model)
        self._drawn = [
            artist for ax in self.figure.axes for artist in ax.get_children() if id(artist) not in before
        ]
        lengths = _tick_label_lengths(self.figure)
        if lengths != self._laid_out_for:
            self._lay_out(lengths)
        return self.figure
