"""`studyapp optimize` and Settings' "Fit to my reviews": FSRS parameters fitted to the review log."""

from __future__ import annotations

from typing import TYPE_CHECKING

from studyapp.core import fitting

if TYPE_CHECKING:
    from studyapp.service import StudyService


def fit_schedule(service: StudyService) -> fitting.FitResult:
    """Fit parameters to the student's log and evaluate them against the current ones. Slow (seconds
    on a big log) and writes nothing: run it off the UI thread, then `adopt_if_better`."""
    reviews = list(service.repo.iter_reviews())
    histories = fitting.histories(reviews, service.study_day)
    items = fitting.training_items(histories.values())
    counted = sum(len(h) for h in histories.values())
    return fitting.fit(items, service.scheduler.parameters, counted)


def adopt_if_better(service: StudyService, result: fitting.FitResult) -> bool:
    """Save the fitted parameters when they beat the current ones (Anki's rule); True if saved.
    Raises StorageError, changing nothing, when they cannot be saved."""
    if not result.better or result.fitted_parameters is None:
        return False
    service.update_settings(fsrs_parameters=list(result.fitted_parameters))
    return True


def describe(result: fitting.FitResult, adopted: bool) -> str:
    """What the fit found, in the words Settings and the CLI show."""
    if result.needed:
        return (f"{result.items} of your answers can be used for fitting (answers on a later day than the card's "
                f"previous one); {fitting.MIN_ITEMS} are needed, so {result.needed} more. Nothing was changed.")
    assert result.current is not None and result.fitted is not None
    lines = [f"Fitted to {result.reviews:,} answers ({result.items:,} usable).",
             f"Current parameters: log loss {result.current.log_loss:.4f}, RMSE {result.current.rmse:.2%}",
             f"Fitted parameters:  log loss {result.fitted.log_loss:.4f}, RMSE {result.fitted.rmse:.2%}"]
    lines.append("The fitted parameters predict your answers better: adopted." if adopted else
                 "The fitted parameters are not better than the current ones: kept the current ones.")
    return "\n".join(lines)
