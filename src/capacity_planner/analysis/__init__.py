"""Scenario analysis at scale: comparison, sweeps, Monte Carlo, and where the solves run.

Entry points (each a plain function for a worker thread: ``progress(fraction, message)``
and ``should_cancel() -> bool`` are optional callables; cancelling raises
``executor.Cancelled``; workers failing as a whole raise ``executor.ExecutionError``):

- ``compare.compare(model, scenarios=None, options, settings, *, progress, should_cancel)
  -> Comparison`` (``totals``, ``differences``, ``streams`` frames; ``to_json()``);
- ``sweep.run_sweep(model, SweepSpec((Axis(parameter, values, target),), scenario),
  options, settings, *, progress, should_cancel) -> SweepResult`` (``table``, ``streams``);
  ``SweepError`` for a sweep that cannot be run as asked;
- ``montecarlo.run_montecarlo(model, MonteCarloSpec(draws, seed, cv, scenario,
  uncertainty), options, settings, *, progress, should_cancel) -> MonteCarloResult``
  (``draws``, ``bands``, ``service`` frames); ``uncertainty_sheet.read_uncertainty(path,
  model)`` reads a workbook's optional Uncertainty sheet.

``options`` is ``variants.SolveOptions(solver, time_limit)``; ``settings`` is
``executor.ExecutorSettings(workers=None, scheduler=None)``: every local core by default,
``workers=1`` in the calling process, ``scheduler="tcp://host:8786"`` on Dask.
"""
