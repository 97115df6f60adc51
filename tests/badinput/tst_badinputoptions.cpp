// The bad-input corpus, options: every command's options given wrong (exit 2, naming the option,
// before anything runs), outputs the command must not write through, and commands asked about
// things a project does not have (exit 1, naming them). badinputcase.h says what is checked.

#include "badinput/badinputcase.h"

#include <sys/stat.h>

using netspatial::tests::BadInputCase;
using netspatial::tests::CaseFolder;

namespace {

void townAndGeneration(CaseFolder& f) {
  f.copy(QStringLiteral("town.gpkg"));
  f.copy(QStringLiteral("gen.gpkg"));
  f.copy(QStringLiteral("aoi.geojson"));
}

//! `command` (a valid command line on the fixtures) with `option` added: a usage error naming `names`.
BadInputCase option(const QString& command, const char* option, const char* names = nullptr) {
  const QString o = QString::fromUtf8(option);
  const QString verb = command.section(QLatin1Char(' '), 0, 0) == QStringLiteral("import") ? command.section(QLatin1Char(' '), 0, 1)
                                                                                           : command.section(QLatin1Char(' '), 0, 0);
  return {verb + QStringLiteral(": ") + o,
          command + QLatin1Char(' ') + o,
          2,
          {names ? QString::fromUtf8(names) : o.section(QLatin1Char(' '), 0, 0)},
          townAndGeneration};
}

std::vector<BadInputCase> optionCases() {
  const QString simulate = QStringLiteral("simulate --preset town --out {d}/o.gpkg");
  const QString generate = QStringLiteral("generate --project {d}/town.gpkg --aoi {d}/aoi.geojson --samples 1");
  const QString rank = QStringLiteral("rank --project {d}/gen.gpkg --no-save");
  const QString exportSeries = QStringLiteral("export --project {d}/gen.gpkg --out {d}/e.csv");
  const QString sleep = QStringLiteral("sleep --project {d}/town.gpkg --samples 2");
  const QString balance = QStringLiteral("balance --project {d}/town.gpkg");
  const QString evaluate = QStringLiteral("evaluate --train {d}/town.gpkg --generators zone_template --samples 2");
  const QString importTraffic = QStringLiteral("import traffic --scenario {d}/town.gpkg --csv {d}/traffic.csv");
  const QString train = QStringLiteral("train " NETSPATIAL_SOURCE_DIR "/recipes/netspatial-smoke.toml --out {d}/w.nsm");
  std::vector<BadInputCase> c = {
      {QStringLiteral("no command"), QString(), 2, {QStringLiteral("command")}},
      {QStringLiteral("unknown command"), QStringLiteral("frobnicate"), 2, {QStringLiteral("frobnicate")}},
      {QStringLiteral("option before the command"),
       QStringLiteral("--seed 5 simulate --preset town --out {d}/o.gpkg"),
       2,
       {QStringLiteral("--seed")}},
      {QStringLiteral("unknown top-level option"), QStringLiteral("--bogus"), 2, {QStringLiteral("bogus")}},
      {QStringLiteral("import: unknown source"), QStringLiteral("import shapefiles"), 2, {QStringLiteral("shapefiles")}},
      {QStringLiteral("simulate: no --out"), QStringLiteral("simulate --preset town"), 2, {QStringLiteral("--out")}},
      option(simulate, "--preset village", "village"),
      option(simulate, "--preset city"),
      option(simulate, "--seed -1"),
      option(simulate, "--seed abc"),
      option(simulate, "--seed 1e30"),
      option(simulate, "--seed 99999999999999999999999"),
      option(simulate, "--bogus 1", "bogus"),
      option(generate, "--cell 0"),
      option(generate, "--cell -5"),
      option(generate, "--cell nan"),
      option(generate, "--cell abc"),
      option(generate, "--samples 0"),
      option(generate, "--samples 2000000000"),
      option(generate, "--samples -3"),
      option(generate, "--seed abc"),
      option(generate, "--device tpu"),
      option(generate, "--generator nope", "nope"),
      option(generate, "--site-type giant"),
      option(generate, "--sites bogus"),
      option(generate, "--allow-zones volcano", "volcano"),
      option(generate, "--min-station-distance -1"),
      option(generate, "--min-station-distance inf"),
      option(generate, "--threads 100000"),
      option(generate, "--threads -1"),
      option(generate, "--aoi {d}/aoi.geojson"),
      option(rank, "--utility bogus"),
      option(rank, "--top 0"),
      option(rank, "--top -1"),
      option(rank, "--top abc"),
      option(rank, "--top 3 --top 4", "--top"),
      option(rank, "--min-spacing nan"),
      option(rank, "--min-spacing -10"),
      option(rank, "--min-demand -inf"),
      option(rank, "--utility composite --weights lsi=abc", "--weights"),
      option(exportSeries, "--units bogus"),
      option(exportSeries, "--series", "--series"),
      option(sleep, "--quantile 1.5"),
      option(sleep, "--quantile -0.1"),
      option(sleep, "--quantile nan"),
      option(sleep, "--horizon 0"),
      option(sleep, "--horizon 100000"),
      option(sleep, "--policy bogus"),
      option(sleep, "--night 25-3"),
      option(sleep, "--night abc"),
      option(sleep, "--margin -1"),
      option(sleep, "--headroom 2"),
      option(sleep, "--tradeoff a,b"),
      option(sleep, "--exact-limit -1"),
      option(sleep, "--samples 0"),
      option(sleep, "--capacity-factor 0"),
      option(sleep, "--neighbour-distance -1"),
      option(sleep, "--paper-window 0"),
      option(sleep, "--paper-quantile 2"),
      option(sleep, "--threads 100000"),
      option(sleep, "--device tpu"),
      option(balance, "--threshold 0"),
      option(balance, "--threshold 1.5"),
      option(balance, "--threshold nan"),
      option(balance, "--horizon -2"),
      option(balance, "--capacity-factor -1"),
      option(evaluate, "--generators bogus", "bogus"),
      option(evaluate, "--holdout 0"),
      option(evaluate, "--holdout 1.5"),
      option(evaluate, "--samples 0"),
      option(evaluate, "--window -1"),
      option(evaluate, "--group-size -1"),
      option(evaluate, "--sweep-fractions 0,2"),
      option(evaluate, "--sweep-seeds 0"),
      option(evaluate, "--seed abc"),
      option(importTraffic, "--sub-hourly median", "median"),
      option(importTraffic, "--time-zone Mars/Olympus", "Mars/Olympus"),
      option(train, "--threads 0"),
      option(train, "--threads 100000"),
  };
  // A data-free usage slip the CLI must still catch per option.
  c.push_back({QStringLiteral("import milan: no --data"), QStringLiteral("import milan --out {d}/o.gpkg"), 2, {QStringLiteral("--data")}});
  c.push_back({QStringLiteral("import traffic: no --csv"),
               QStringLiteral("import traffic --scenario {d}/town.gpkg"),
               2,
               {QStringLiteral("--csv")},
               townAndGeneration});
  // Bounds that depend on the data: exit 1, naming the value.
  c.push_back({QStringLiteral("generate: --cell 0.001 over the AOI"),
               generate + QStringLiteral(" --cell 0.001"),
               1,
               {QStringLiteral("0.001 m")},
               townAndGeneration});
  c.push_back({QStringLiteral("rank: --vector r.txt"),
               rank + QStringLiteral(" --vector {d}/r.txt"),
               1,
               {QStringLiteral("r.txt")},
               townAndGeneration});
  c.push_back({QStringLiteral("train: no recipe"), QStringLiteral("train"), 2, {QStringLiteral("recipe")}});
  c.push_back({QStringLiteral("evaluate: no --train"), QStringLiteral("evaluate --samples 2"), 2, {QStringLiteral("--train")}});
  return c;
}

// ---- outputs a command must not write through -------------------------------------------------

BadInputCase output(const char* name, const QString& command, std::function<void(CaseFolder&)> make, QStringList says) {
  return {QString::fromUtf8(name), command, 1, std::move(says), [make](CaseFolder& f) {
            townAndGeneration(f);
            f.copy(QStringLiteral("traffic.csv"));
            make(f);
          }};
}

std::vector<BadInputCase> outputCases() {
  auto symlink = [](const char* name) {
    return [n = QString::fromUtf8(name)](CaseFolder& f) {
      f.write(QStringLiteral("kept.txt"), "kept");
      QFile::link(f.path(QStringLiteral("kept.txt")), f.path(n));
    };
  };
  auto fifo = [](const char* name) {
    return [n = QString::fromUtf8(name)](CaseFolder& f) { ::mkfifo(f.path(n).toLocal8Bit().constData(), 0644); };
  };
  auto readOnly = [](const char* name) {
    return [n = QString::fromUtf8(name)](CaseFolder& f) {
      f.write(n, "an earlier result\n");
      QFile(f.path(n)).setPermissions(QFile::ReadOwner | QFile::ReadGroup);
    };
  };
  auto noFolder = [](CaseFolder&) {};
  std::vector<BadInputCase> c;
  const struct {
    const char* verb;
    const char* command;  // {out} is the output path
  } commands[] = {
      {"simulate", "simulate --preset town --out {out}"},
      {"rank", "rank --project {d}/gen.gpkg --no-save --out {out}"},
      {"rank-vector", "rank --project {d}/gen.gpkg --no-save --vector {out}"},
      {"export", "export --project {d}/gen.gpkg --out {out}"},
      {"sleep", "sleep --project {d}/town.gpkg --samples 2 --out {out}"},
      {"sleep-summary", "sleep --project {d}/town.gpkg --samples 2 --summary {out}"},
      {"balance", "balance --project {d}/town.gpkg --out {out}"},
      {"evaluate", "evaluate --train {d}/town.gpkg --generators zone_template --samples 2 --out {out}"},
      {"import-traffic", "import traffic --scenario {d}/town.gpkg --csv {d}/traffic.csv --out {out}"},
  };
  for (const auto& k : commands) {
    const QString verb = QString::fromUtf8(k.verb);
    const QString ext =
        verb == QStringLiteral("simulate") || verb == QStringLiteral("import-traffic") || verb == QStringLiteral("rank-vector")
            ? QStringLiteral(".gpkg")
            : QStringLiteral(".csv");
    auto with = [&](const QString& path) { return QString::fromUtf8(k.command).replace(QStringLiteral("{out}"), path); };
    const QString name = QStringLiteral("out") + ext;
    c.push_back(output(qPrintable(verb + QStringLiteral(": --out is a symbolic link")), with(QStringLiteral("{d}/") + name),
                       symlink(qPrintable(name)), {name, QStringLiteral("symbolic link")}));
    c.push_back(output(qPrintable(verb + QStringLiteral(": --out is a FIFO")), with(QStringLiteral("{d}/") + name), fifo(qPrintable(name)),
                       {name}));
    c.push_back(output(qPrintable(verb + QStringLiteral(": --out is read-only")), with(QStringLiteral("{d}/") + name),
                       readOnly(qPrintable(name)), {name, QStringLiteral("read-only")}));
    c.push_back(output(qPrintable(verb + QStringLiteral(": --out in a missing folder")), with(QStringLiteral("{d}/none/") + name), noFolder,
                       {name}));
  }
  // Asked, a read-only file is replaced (exit 0); a link still is not.
  c.push_back(output("simulate: --out read-only, --overwrite-read-only",
                     QStringLiteral("simulate --preset town --out {d}/out.gpkg --overwrite-read-only"), readOnly("out.gpkg"), {}));
  c.back().exitCode = 0;
  c.push_back(output("simulate: --out a link, --overwrite-read-only",
                     QStringLiteral("simulate --preset town --out {d}/out.gpkg --overwrite-read-only"), symlink("out.gpkg"),
                     {QStringLiteral("symbolic link")}));
  c.push_back(output("simulate: --out /dev/null", QStringLiteral("simulate --preset town --out /dev/null"), noFolder,
                     {QStringLiteral("/dev/null")}));
  c.push_back(output("simulate: --out is a folder", QStringLiteral("simulate --preset town --out {d}"), noFolder, {}));
  return c;
}

// ---- asking a project for what it does not have ---------------------------------------------------

std::vector<BadInputCase> missingThingCases() {
  auto k = [](const char* name, const char* command, QStringList says) {
    return BadInputCase{QString::fromUtf8(name), QString::fromUtf8(command), 1, std::move(says), townAndGeneration};
  };
  return {
      k("rank without a generation", "rank --project {d}/town.gpkg --no-save", {QStringLiteral("town.gpkg"), QStringLiteral("generat")}),
      k("export without a generation", "export --project {d}/town.gpkg --out {d}/e.csv",
        {QStringLiteral("town.gpkg"), QStringLiteral("generat")}),
      k("export an unknown run", "export --project {d}/gen.gpkg --run nope --out {d}/e.csv", {QStringLiteral("nope")}),
      k("export an unknown site", "export --project {d}/gen.gpkg --series NOPE --out {d}/e.csv", {QStringLiteral("NOPE")}),
      k("sleep on unknown stations", "sleep --project {d}/town.gpkg --samples 2 --stations NOPE", {QStringLiteral("NOPE")}),
      k("sleep in an unknown zone", "sleep --project {d}/town.gpkg --samples 2 --zone 99999999", {QStringLiteral("99999999")}),
      k("balance on unknown stations", "balance --project {d}/town.gpkg --stations NOPE,S0001", {QStringLiteral("NOPE")}),
      k("evaluate on a missing test file", "evaluate --train {d}/town.gpkg --test {d}/none.gpkg --samples 2",
        {QStringLiteral("none.gpkg")}),
      k("evaluate with garbage weights", "evaluate --train {d}/town.gpkg --samples 2 --weights {d}/aoi.geojson",
        {QStringLiteral("aoi.geojson")}),
      k("generate: exclude file absent", "generate --project {d}/town.gpkg --aoi {d}/aoi.geojson --samples 1 --exclude {d}/none.geojson",
        {QStringLiteral("none.geojson")}),
      k("info on a folder", "info {d}", {}),
  };
}

}  // namespace

class TestBadInputOptions : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void initTestCase() { m_corpus.initTestCase(); }
  void corpus_data() { m_corpus.addRows(); }
  void corpus() {
    QFETCH(int, index);
    m_corpus.run(index);
  }

 private:
  netspatial::tests::BadInputCorpus m_corpus{&optionCases, &outputCases, &missingThingCases};
};

QTEST_GUILESS_MAIN(TestBadInputOptions)
#include "tst_badinputoptions.moc"
