// Package pipeline runs tsf's many-series forecasts and backtests as an
// Apache Beam pipeline, so that the per-series loop of `tsf forecast --id`
// spreads over whatever engine Beam drives: Prism in process, a Prism, Flink
// or Spark job server, or Google Cloud Dataflow.
//
// The pipeline reads one or more long CSV files (series id, time, values),
// keys every row by its series id, groups by key and, per series, parses the
// rows with the core's loader (dataset.ReadRecords, so every check and error
// is the one `tsf` gives) and fits and forecasts it with the core's many-series
// functions (forecast.ForecastEach, PredictEach, BacktestEach on that one
// series). Forecasts are written in the format of forecast.WriteLongCSV,
// in shards; a series' rows are the bytes `tsf forecast --id` writes for it.
//
// A global model (Model.IsGlobal: hybrid, tsf's default for many series,
// or a neural model with Model.Global) is ONE model for all series: a stage
// sends every series' rows to one key, and one worker loads them all,
// orders them as tsf does (by their first row) and fits the model
// (FitGlobal); the forecast stage gets the model file's bytes as a side
// input, rebuilds the model once per DoFn instance (forecast.ReadModel,
// FromModel) and forecasts every series from its own history
// (forecast.PredictEach), as `tsf forecast --id` does after its fit. A
// model file (Config.ModelFile) goes through the same side input. The fit
// stage holds every series in one worker's memory.
//
// Conventions:
//   - A bad row or a failing series never fails the pipeline: it goes to the
//     errors output (series id, reason) and the others go on. Counters
//     (Counts) say how many series were forecast and how many failed. A
//     global fit (or a model file) that fails fails the run: Run returns a
//     *ModelError with tsf's message and writes nothing.
//   - Output is deterministic: within a shard, series appear in the order of
//     their first row (file by file in the order of the inputs, each glob's
//     matches sorted, then by line), so with one shard and one input file
//     the forecast file is byte for byte the file `tsf forecast --id`
//     writes.
//   - Output is whole or absent: Run writes every file under a staged name
//     and renames them once the run has succeeded; a failed or cancelled
//     run leaves the outputs of an earlier run as they were.
//   - Parallelism: each worker fits up to Config.Workers series at once; a
//     runner adds its own parallelism across bundles (Prism runs the grouped
//     series as one bundle in batch mode, Flink and Dataflow as many).
package pipeline
