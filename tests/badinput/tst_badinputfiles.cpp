// The bad-input corpus, files: the scenario loader (a project opened by `info`, `generate`,
// `sleep`…), the long traffic CSV, the Milan folder, the user-file scenario import and training
// recipes and checkpoints. Each row is one broken input; badinputcase.h says what is checked.

#include "badinput/badinputcase.h"

#include <ogr_api.h>

#include <cmath>

using netspatial::tests::BadInputCase;
using netspatial::tests::CaseFolder;

namespace {

// ---- the scenario loader: town.gpkg copied as p.gpkg, then broken with SQL -------------------

BadInputCase project(const char* name, const char* statement, QStringList says, const char* base = "town.gpkg") {
  const QString sql = QString::fromUtf8(statement);
  const QString from = QString::fromUtf8(base);
  return {QString::fromUtf8(name), QStringLiteral("info {d}/p.gpkg"), 1, std::move(says), [sql, from](CaseFolder& f) {
            f.copy(from, QStringLiteral("p.gpkg"));
            for (const QString& s : sql.split(QLatin1Char(';'), Qt::SkipEmptyParts)) f.sql(QStringLiteral("p.gpkg"), s);
          }};
}

std::vector<BadInputCase> projectCases() {
  std::vector<BadInputCase> c = {
      {QStringLiteral("project_absent"), QStringLiteral("info {d}/absent.gpkg"), 1, {QStringLiteral("absent.gpkg")}},
      {QStringLiteral("project_text"),
       QStringLiteral("info {d}/p.gpkg"),
       1,
       {QStringLiteral("p.gpkg")},
       [](CaseFolder& f) { f.write(QStringLiteral("p.gpkg"), "meeting notes, not a GeoPackage\n"); }},
      {QStringLiteral("project_empty"),
       QStringLiteral("info {d}/p.gpkg"),
       1,
       {QStringLiteral("p.gpkg")},
       [](CaseFolder& f) { f.write(QStringLiteral("p.gpkg"), {}); }},
      {QStringLiteral("project_truncated"),
       QStringLiteral("info {d}/p.gpkg"),
       1,
       {QStringLiteral("p.gpkg")},
       [](CaseFolder& f) {
         f.copy(QStringLiteral("town.gpkg"), QStringLiteral("p.gpkg"));
         f.write(QStringLiteral("p.gpkg"), f.read(QStringLiteral("p.gpkg")).left(200000));
       }},
      {QStringLiteral("project_is_folder"),
       QStringLiteral("info {d}/p.gpkg"),
       1,
       {QStringLiteral("p.gpkg")},
       [](CaseFolder& f) { QDir().mkpath(f.path(QStringLiteral("p.gpkg"))); }},
      project("project_no_metadata", "DROP TABLE metadata", {QStringLiteral("p.gpkg"), QStringLiteral("metadata")}),
      project("observed_year_9999",
              "UPDATE traffic_observed SET t='9999-12-31T23:00:00Z' WHERE fid=(SELECT max(fid) FROM traffic_observed)",
              {QStringLiteral("traffic_observed"), QStringLiteral("field 't'")}),
      project("observed_year_0001", "UPDATE traffic_observed SET t='0001-01-01T00:00:00Z' WHERE fid=7",
              {QStringLiteral("traffic_observed"), QStringLiteral("field 't'")}),
      project("observed_duplicate_hour",
              "INSERT INTO traffic_observed(site_id,t,value) SELECT site_id,t,value+1 FROM traffic_observed WHERE fid=5",
              {QStringLiteral("traffic_observed"), QStringLiteral("field 't'"), QStringLiteral("twice")}),
      project("observed_value_text", "UPDATE traffic_observed SET value='lots' WHERE fid=5",
              {QStringLiteral("traffic_observed"), QStringLiteral("row 5"), QStringLiteral("field 'value'")}),
      project("observed_value_negative", "UPDATE traffic_observed SET value=-3 WHERE fid=5",
              {QStringLiteral("row 5"), QStringLiteral("field 'value'")}),
      project("observed_value_1e300", "UPDATE traffic_observed SET value=1e300 WHERE fid=5",
              {QStringLiteral("row 5"), QStringLiteral("field 'value'")}),
      project("observed_time_garbage", "UPDATE traffic_observed SET t='yesterday' WHERE fid=5",
              {QStringLiteral("row 5"), QStringLiteral("field 't'")}),
      project("observed_time_off_hour", "UPDATE traffic_observed SET t='2025-03-03T00:30:00Z' WHERE fid=2",
              {QStringLiteral("traffic_observed"), QStringLiteral("field 't'")}),
      project("observed_unknown_site", "UPDATE traffic_observed SET site_id='NOPE' WHERE fid=5",
              {QStringLiteral("row 5"), QStringLiteral("field 'site_id'"), QStringLiteral("NOPE")}),
      project("observed_site_null", "UPDATE traffic_observed SET site_id=NULL WHERE fid=5",
              {QStringLiteral("row 5"), QStringLiteral("field 'site_id'")}),
      project("observed_no_value_column", "ALTER TABLE traffic_observed DROP COLUMN value",
              {QStringLiteral("traffic_observed"), QStringLiteral("value")}),
      project("generated_sample_2e9", "UPDATE traffic_generated SET sample=2000000000 WHERE fid=1",
              {QStringLiteral("traffic_generated"), QStringLiteral("field 'sample'")}, "gen.gpkg"),
      project("generated_sample_negative", "UPDATE traffic_generated SET sample=-1 WHERE fid=1", {QStringLiteral("field 'sample'")},
              "gen.gpkg"),
      project("generated_hours_huge", "UPDATE traffic_generated SET hours=999999999 WHERE fid=1", {QStringLiteral("field 'hours'")},
              "gen.gpkg"),
      project("generated_series_short", "UPDATE traffic_generated SET series=x'00' WHERE fid=1",
              {QStringLiteral("traffic_generated"), QStringLiteral("row 1"), QStringLiteral("series")}, "gen.gpkg"),
      project("generated_layout_bogus", "UPDATE traffic_generated SET layout='zz' WHERE fid=1", {QStringLiteral("field 'layout'")},
              "gen.gpkg"),
      project("generated_start_garbage", "UPDATE traffic_generated SET start_utc='noon' WHERE fid=1", {QStringLiteral("field 'start_utc'")},
              "gen.gpkg"),
      project("generated_start_year_9999", "UPDATE traffic_generated SET start_utc='9999-12-31T23:00:00Z' WHERE fid=1",
              {QStringLiteral("field 'start_utc'")}, "gen.gpkg"),
      project("generated_duplicate",
              "INSERT INTO traffic_generated(run_id,site_id,sample,start_utc,hours,layout,series) "
              "SELECT run_id,site_id,sample,start_utc,hours,layout,series FROM traffic_generated WHERE fid=1",
              {QStringLiteral("traffic_generated"), QStringLiteral("twice")}, "gen.gpkg"),
      project("station_capacity_text", "UPDATE base_stations SET capacity='lots' WHERE fid=3",
              {QStringLiteral("base_stations"), QStringLiteral("row 3"), QStringLiteral("field 'capacity'"), QStringLiteral("lots")}),
      project("station_capacity_negative", "UPDATE base_stations SET capacity=-5 WHERE fid=3",
              {QStringLiteral("row 3"), QStringLiteral("field 'capacity'")}),
      project("station_capacity_1e300", "UPDATE base_stations SET capacity=1e300 WHERE fid=3", {QStringLiteral("field 'capacity'")}),
      project("station_type_bogus", "UPDATE base_stations SET type='giant' WHERE fid=3",
              {QStringLiteral("row 3"), QStringLiteral("field 'type'")}),
      project("station_geometry_null", "UPDATE base_stations SET geom=NULL WHERE fid=3",
              {QStringLiteral("base_stations"), QStringLiteral("row 3")}),
      project("station_id_null", "UPDATE base_stations SET id=NULL WHERE fid=3", {QStringLiteral("row 3"), QStringLiteral("field 'id'")}),
      project("zone_class_bogus", "UPDATE zones SET class='volcano' WHERE fid=4",
              {QStringLiteral("zones"), QStringLiteral("field 'class'")}),
      project("poi_category_bogus", "UPDATE pois SET category='volcano' WHERE fid=4",
              {QStringLiteral("pois"), QStringLiteral("field 'category'")}),
      project("metadata_crs_garbage", "UPDATE metadata SET value='EPSG:99999999' WHERE key='crs'", {QStringLiteral("crs")}),
      project("metadata_schema_future", "UPDATE metadata SET value='999' WHERE key='schema_version'", {QStringLiteral("schema_version")}),
      project("metadata_schema_text", "UPDATE metadata SET value='two' WHERE key='schema_version'", {QStringLiteral("schema_version")}),
      project("metadata_series_start_garbage", "UPDATE metadata SET value='soon' WHERE key='series_start'",
              {QStringLiteral("series_start")}),
      project("metadata_time_zone_bogus", "UPDATE metadata SET value='Mars/Olympus' WHERE key='time_zone'", {QStringLiteral("time_zone")}),
      project("imagery_external_escapes", "INSERT OR REPLACE INTO metadata(key,value) VALUES('imagery.external','../../etc/passwd')",
              {QStringLiteral("imagery.external")}),
      project("population_external_vsicurl",
              "INSERT OR REPLACE INTO metadata(key,value) VALUES('population.external','/vsicurl/http://127.0.0.1:9/p.tif')",
              {QStringLiteral("population.external")}),
  };
  // A NaN vertex in a zone (GDAL writes it; the loader must not pass it on to the grid and the maps).
  c.push_back({QStringLiteral("zone_nan_vertex"),
               QStringLiteral("info {d}/p.gpkg"),
               1,
               {QStringLiteral("zones"), QStringLiteral("geometry")},
               [](CaseFolder& f) {
                 f.copy(QStringLiteral("town.gpkg"), QStringLiteral("p.gpkg"));
                 f.setGeometry(QStringLiteral("p.gpkg"), "zones", 4, [] {
                   OGRGeometryH ring = OGR_G_CreateGeometry(wkbLinearRing);
                   OGR_G_AddPoint_2D(ring, 663000, 5103000);
                   OGR_G_AddPoint_2D(ring, std::nan(""), 5103000);
                   OGR_G_AddPoint_2D(ring, 663100, 5103100);
                   OGR_G_AddPoint_2D(ring, 663000, 5103000);
                   OGRGeometryH poly = OGR_G_CreateGeometry(wkbPolygon);
                   OGR_G_AddGeometryDirectly(poly, ring);
                   return poly;
                 });
               }});
  // Unreadable is not "not a GeoPackage": as a user without the permission (root reads anything).
  c.push_back({QStringLiteral("project_unreadable"),
               QStringLiteral("info {d}/p.gpkg"),
               1,
               {QStringLiteral("p.gpkg"), QStringLiteral("permission denied")},
               [](CaseFolder& f) {
                 f.copy(QStringLiteral("town.gpkg"), QStringLiteral("p.gpkg"));
                 QFile(f.path(QStringLiteral("p.gpkg"))).setPermissions(QFile::ReadOwner | QFile::WriteOwner);
               },
               true});
  // Every command that opens a project refuses the same broken one before doing anything.
  const char* year9999 = "UPDATE traffic_observed SET t='9999-12-31T23:00:00Z' WHERE fid=(SELECT max(fid) FROM traffic_observed)";
  for (const char* command : {"sleep --project {d}/p.gpkg --samples 2 --out {d}/s.csv", "balance --project {d}/p.gpkg --out {d}/b.csv",
                              "generate --project {d}/p.gpkg --aoi {d}/aoi.geojson --cell 300 --samples 1"}) {
    BadInputCase k = project("", year9999, {QStringLiteral("traffic_observed"), QStringLiteral("field 't'")});
    k.name = QStringLiteral("year_9999_") + QString::fromUtf8(command).section(QLatin1Char(' '), 0, 0);
    k.command = QString::fromUtf8(command);
    auto prepare = k.prepare;
    k.prepare = [prepare](CaseFolder& f) {
      prepare(f);
      f.copy(QStringLiteral("aoi.geojson"));
    };
    c.push_back(std::move(k));
  }
  return c;
}

// ---- the long traffic CSV: `import traffic` into a copy of the town ----------------------------

BadInputCase csv(const char* name, QByteArray text, QStringList says, const char* extra = "") {
  return {QString::fromUtf8(name), QStringLiteral("import traffic --scenario {d}/p.gpkg --csv {d}/t.csv ") + QString::fromUtf8(extra), 1,
          std::move(says), [text](CaseFolder& f) {
            f.copy(QStringLiteral("town.gpkg"), QStringLiteral("p.gpkg"));
            f.write(QStringLiteral("t.csv"), text);
          }};
}

std::vector<BadInputCase> trafficCsvCases() {
  const QByteArray head = "site_id,timestamp,value\n";
  const QByteArray ok = "S0001,2025-03-03T00:00:00Z,4.5\nS0001,2025-03-03T01:00:00Z,3.5\n";
  QByteArray thousandYears = head;
  for (int i = 0; i < 10; ++i) thousandYears += QStringLiteral("S0001,%1-03-03T00:00:00Z,1\n").arg(1025 + 100 * i).toUtf8();
  QByteArray longLine = head + "S0001,2025-03-03T00:00:00Z,";
  longLine += QByteArray(20 << 20, '7');
  QByteArray garbage(4096, '\0');
  for (int i = 0; i < garbage.size(); ++i) garbage[i] = char((i * 7919) % 251);
  std::vector<BadInputCase> c = {
      {QStringLiteral("csv_absent"),
       QStringLiteral("import traffic --scenario {d}/p.gpkg --csv {d}/t.csv"),
       1,
       {QStringLiteral("t.csv")},
       [](CaseFolder& f) { f.copy(QStringLiteral("town.gpkg"), QStringLiteral("p.gpkg")); }},
      csv("csv_empty", "", {QStringLiteral("t.csv")}),
      csv("csv_header_only", head, {QStringLiteral("t.csv"), QStringLiteral("no data rows")}),
      csv("csv_no_value_column", "site_id,timestamp\nS0001,2025-03-03T00:00:00Z\n", {QStringLiteral("t.csv"), QStringLiteral("value")}),
      csv("csv_semicolons", "site_id;timestamp;value\nS0001;2025-03-03T00:00:00Z;4\n",
          {QStringLiteral("t.csv"), QStringLiteral("site_id")}),
      csv("csv_value_text", head + ok + "S0001,2025-03-03T02:00:00Z,abc\n",
          {QStringLiteral("t.csv"), QStringLiteral("row 4"), QStringLiteral("field 'value'")}),
      csv("csv_value_negative", head + ok + "S0001,2025-03-03T02:00:00Z,-1\n", {QStringLiteral("row 4"), QStringLiteral("field 'value'")}),
      csv("csv_value_nan", head + ok + "S0001,2025-03-03T02:00:00Z,nan\n", {QStringLiteral("row 4"), QStringLiteral("field 'value'")}),
      csv("csv_value_inf", head + ok + "S0001,2025-03-03T02:00:00Z,inf\n", {QStringLiteral("row 4"), QStringLiteral("field 'value'")}),
      csv("csv_value_1e300", head + ok + "S0001,2025-03-03T02:00:00Z,1e300\n", {QStringLiteral("row 4"), QStringLiteral("field 'value'")}),
      csv("csv_value_1e39", head + ok + "S0001,2025-03-03T02:00:00Z,1e39\n", {QStringLiteral("row 4"), QStringLiteral("field 'value'")}),
      csv("csv_time_garbage", head + ok + "S0001,yesterday,4\n", {QStringLiteral("row 4"), QStringLiteral("field 'timestamp'")}),
      csv("csv_time_month_13", head + ok + "S0001,2025-13-03T00:00:00Z,4\n",
          {QStringLiteral("row 4"), QStringLiteral("field 'timestamp'")}),
      csv("csv_time_off_hour", head + ok + "S0001,2025-03-03T02:10:00Z,4\n",
          {QStringLiteral("row 4"), QStringLiteral("field 'timestamp'")}),
      csv("csv_span_0001_9999", head + "S0001,0001-01-01T00:00:00Z,1\nS0001,9999-12-31T23:00:00Z,1\n",
          {QStringLiteral("t.csv"), QStringLiteral("field 'timestamp'")}),
      csv("csv_span_1000_years", thousandYears, {QStringLiteral("t.csv"), QStringLiteral("field 'timestamp'")}),
      csv("csv_duplicate_hour", head + ok + "S0001,2025-03-03T01:00:00Z,9\n",
          {QStringLiteral("t.csv"), QStringLiteral("row 4"), QStringLiteral("duplicate")}),
      csv("csv_unknown_site", head + ok + "NOPE,2025-03-03T02:00:00Z,4\n", {QStringLiteral("row 4"), QStringLiteral("field 'site_id'")}),
      csv("csv_empty_site", head + ok + ",2025-03-03T02:00:00Z,4\n", {QStringLiteral("row 4"), QStringLiteral("field 'site_id'")}),
      csv("csv_site_5mb", head + ok + QByteArray(5 << 20, 'X') + ",2025-03-03T02:00:00Z,4\n",
          {QStringLiteral("row 4"), QStringLiteral("field 'site_id'")}),
      csv("csv_nul_in_site",
          head + ok +
              QByteArray("S00\0"
                         "01,2025-03-03T02:00:00Z,4\n",
                         sizeof("S00\0"
                                "01,2025-03-03T02:00:00Z,4\n") -
                             1),
          {QStringLiteral("row 4"), QStringLiteral("field 'site_id'"), QStringLiteral("\\0")}),
      csv("csv_unterminated_quote", head + ok + "\"S0001,2025-03-03T02:00:00Z,4\n", {QStringLiteral("t.csv"), QStringLiteral("row 4")}),
      csv("csv_too_many_fields", head + ok + "S0001,2025-03-03T02:00:00Z,4,5,6\n", {QStringLiteral("t.csv"), QStringLiteral("row 4")}),
      csv("csv_too_few_fields", head + ok + "S0001,2025-03-03T02:00:00Z\n", {QStringLiteral("row 4"), QStringLiteral("field 'value'")}),
      csv("csv_line_20mb", longLine, {QStringLiteral("t.csv"), QStringLiteral("row 2")}),
      csv("csv_binary", garbage, {QStringLiteral("t.csv")}),
      csv("csv_dst_gap", head + "S0001,2025-03-30 02:30,4\n", {QStringLiteral("row 2"), QStringLiteral("field 'timestamp'")},
          "--time-zone Europe/Rome"),
      csv("csv_dst_twice", head + "S0001,2025-10-26 02:30,4\n", {QStringLiteral("row 2"), QStringLiteral("field 'timestamp'")},
          "--time-zone Europe/Rome"),
      csv("csv_decimal_comma", head + ok + "S0001,2025-03-03T02:00:00Z,4,5\n", {QStringLiteral("row 4"), QStringLiteral("decimal comma")}),
      csv("csv_time_offset_half_hour", head + ok + "S0001,2025-03-03T04:30:00+05:00,4\n",
          {QStringLiteral("row 4"), QStringLiteral("field 'timestamp'")}),
      {QStringLiteral("csv_is_folder"),
       QStringLiteral("import traffic --scenario {d}/p.gpkg --csv {d}/t.csv"),
       1,
       {QStringLiteral("t.csv")},
       [](CaseFolder& f) {
         f.copy(QStringLiteral("town.gpkg"), QStringLiteral("p.gpkg"));
         QDir().mkpath(f.path(QStringLiteral("t.csv")));
       }},
      {QStringLiteral("csv_scenario_absent"),
       QStringLiteral("import traffic --scenario {d}/p.gpkg --csv {d}/traffic.csv"),
       1,
       {QStringLiteral("p.gpkg")},
       [](CaseFolder& f) { f.copy(QStringLiteral("traffic.csv")); }},
      {QStringLiteral("csv_out_symlink"),
       QStringLiteral("import traffic --scenario {d}/p.gpkg --csv {d}/traffic.csv --out {d}/link.gpkg"),
       1,
       {QStringLiteral("link.gpkg")},
       [](CaseFolder& f) {
         f.copy(QStringLiteral("town.gpkg"), QStringLiteral("p.gpkg"));
         f.copy(QStringLiteral("traffic.csv"));
         f.write(QStringLiteral("target.gpkg"), "keep");
         QFile::link(f.path(QStringLiteral("target.gpkg")), f.path(QStringLiteral("link.gpkg")));
       }},
      {QStringLiteral("csv_scenario_read_only"),
       QStringLiteral("import traffic --scenario {d}/p.gpkg --csv {d}/traffic.csv"),
       1,
       {QStringLiteral("p.gpkg"), QStringLiteral("read-only")},
       [](CaseFolder& f) {
         f.copy(QStringLiteral("town.gpkg"), QStringLiteral("p.gpkg"));
         f.copy(QStringLiteral("traffic.csv"));
         QFile(f.path(QStringLiteral("p.gpkg"))).setPermissions(QFile::ReadOwner | QFile::ReadGroup | QFile::ReadOther);
       }},
  };
  // Accepted, not refused: a UTF-8 byte-order mark and CRLF line ends are a spreadsheet's habits.
  c.push_back(csv("csv_bom_and_crlf_accepted", "\xEF\xBB\xBFsite_id,timestamp,value\r\nS0001,2025-03-03T00:00:00Z,4.5\r\n", {}));
  c.back().exitCode = 0;
  // An empty value says the hour is missing (NaN), as the help says; a trailing empty field is not a decimal comma.
  c.push_back(csv("csv_empty_value_is_missing", head + ok + "S0001,2025-03-03T02:00:00Z,\nS0001,2025-03-03T03:00:00Z,4,\n", {}));
  c.back().exitCode = 0;
  return c;
}

// ---- the Milan folder: a copy of shared/data/milan with one file broken ------------------------

BadInputCase milan(const char* name, std::function<void(CaseFolder&)> breakIt, QStringList says, int exitCode = 1) {
  return {QString::fromUtf8(name), QStringLiteral("import milan --data {d}/m --out {d}/o.gpkg"), exitCode, std::move(says),
          [breakIt](CaseFolder& f) {
            if (!f.copyShared(QStringLiteral("milan"), QStringLiteral("m"))) return;
            breakIt(f);
          }};
}

std::vector<BadInputCase> milanCases() {
  const QString matrix = QStringLiteral("m/traffic_matrixTS.csv");
  const QString labels = QStringLiteral("m/traffic_ID_labels.csv");
  const QString cells = QStringLiteral("m/opencellid_lte_mapped.csv");
  auto edit = [](QString file, QByteArray from, QByteArray to) { return [=](CaseFolder& f) { f.replace(file, from, to); }; };
  auto remove = [](QString file) { return [=](CaseFolder& f) { QFile::remove(f.path(file)); }; };
  auto put = [](QString file, QByteArray bytes) { return [=](CaseFolder& f) { f.write(file, bytes); }; };
  std::vector<BadInputCase> c = {
      {QStringLiteral("milan_folder_absent"), QStringLiteral("import milan --data {d}/none --out {d}/o.gpkg"), 1, {QStringLiteral("none")}},
      milan("milan_no_grid", remove(QStringLiteral("m/milano-grid.geojson")), {QStringLiteral("milano-grid.geojson")}),
      milan("milan_no_matrix", remove(matrix), {QStringLiteral("traffic_matrixTS.csv")}),
      milan("milan_no_labels", remove(labels), {QStringLiteral("traffic_ID_labels.csv")}),
      milan("milan_matrix_text", edit(matrix, "13,11,8,", "13,xx,8,"),
            {QStringLiteral("traffic_matrixTS.csv"), QStringLiteral("row 1"), QStringLiteral("hour 2")}),
      milan("milan_matrix_negative", edit(matrix, "13,11,8,", "13,-11,8,"), {QStringLiteral("row 1"), QStringLiteral("hour 2")}),
      milan("milan_matrix_1e300", edit(matrix, "13,11,8,", "13,1e300,8,"), {QStringLiteral("row 1"), QStringLiteral("hour 2")}),
      milan("milan_matrix_nan", edit(matrix, "13,11,8,", "13,nan,8,"), {QStringLiteral("row 1"), QStringLiteral("hour 2")}),
      milan("milan_matrix_200k_extra_values",
            [matrix](CaseFolder& f) {
              QByteArray bytes = f.read(matrix);
              QByteArray extra;
              for (int i = 0; i < 200000; ++i) extra += ",7";
              bytes.insert(bytes.indexOf('\n'), extra);
              f.write(matrix, bytes);
            },
            {QStringLiteral("traffic_matrixTS.csv"), QStringLiteral("row 1")}),
      milan("milan_matrix_empty", put(matrix, {}), {QStringLiteral("traffic_matrixTS.csv")}),
      milan("milan_matrix_binary", put(matrix, QByteArray("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16)), {QStringLiteral("traffic_matrixTS.csv")}),
      milan("milan_labels_fewer",
            [labels](CaseFolder& f) {
              QByteArray b = f.read(labels);
              b.chop(1);
              f.write(labels, b.left(b.lastIndexOf('\n') + 1));
            },
            {QStringLiteral("traffic_ID_labels.csv")}),
      milan("milan_labels_duplicate", edit(labels, "1.000000000000000000e+01", "1.000000000000000000e+00"),
            {QStringLiteral("traffic_ID_labels.csv"), QStringLiteral("row 2")}),
      milan("milan_labels_text", edit(labels, "1.000000000000000000e+01", "ten"),
            {QStringLiteral("traffic_ID_labels.csv"), QStringLiteral("row 2")}),
      milan("milan_labels_outside_grid", edit(labels, "1.000000000000000000e+01", "1.000000000000000000e+05"),
            {QStringLiteral("traffic_ID_labels.csv"), QStringLiteral("row 2")}),
      milan("milan_labels_fraction", edit(labels, "1.000000000000000000e+01", "1.05e+01"),
            {QStringLiteral("traffic_ID_labels.csv"), QStringLiteral("row 2")}),
      milan("milan_grid_not_json", put(QStringLiteral("m/milano-grid.geojson"), "{\"type\": \"FeatureCollection\", \"features\": [ {"),
            {QStringLiteral("milano-grid.geojson")}),
      milan("milan_grid_no_cell_id",
            [](CaseFolder& f) {
              const QString grid = QStringLiteral("m/milano-grid.geojson");
              f.write(grid, f.read(grid).replace("cellId", "cell"));
            },
            {QStringLiteral("milano-grid.geojson"), QStringLiteral("cellId")}),
      milan("milan_opencellid_range_far", edit(cells, "LTE,1000,", "LTE,far,"),
            {QStringLiteral("opencellid_lte_mapped.csv"), QStringLiteral("row 1"), QStringLiteral("field 'range'")}),
      milan("milan_opencellid_lng_text", edit(cells, ",9.0149688720703,", ",east,"),
            {QStringLiteral("opencellid_lte_mapped.csv"), QStringLiteral("row 1"), QStringLiteral("field 'lng'")}),
      milan("milan_opencellid_lat_95", edit(cells, ",45.361862182617,", ",95.5,"),
            {QStringLiteral("opencellid_lte_mapped.csv"), QStringLiteral("row 1"), QStringLiteral("field 'lat'")}),
      milan("milan_transit_lat_text", edit(QStringLiteral("m/public_transport_stations.csv"), "45.429978799999994", "north"),
            {QStringLiteral("public_transport_stations.csv"), QStringLiteral("row 1"), QStringLiteral("field 'lat'")}),
      milan("milan_districts_not_json", put(QStringLiteral("m/nil_districts.geojson"), "<html>not found</html>"),
            {QStringLiteral("nil_districts.geojson")}),
      milan(
          "milan_matrix_bom_accepted", [matrix](CaseFolder& f) { f.write(matrix, "\xEF\xBB\xBF" + f.read(matrix)); }, {}, 0),
      {QStringLiteral("milan_folder_unreadable"),
       QStringLiteral("import milan --data {d}/m --out {d}/o.gpkg"),
       1,
       {QStringLiteral("m"), QStringLiteral("permission denied")},
       [](CaseFolder& f) {
         if (f.copyShared(QStringLiteral("milan"), QStringLiteral("m")))
           QFile(f.path(QStringLiteral("m"))).setPermissions(QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
       },
       true},
      {QStringLiteral("milan_matrix_unreadable"),
       QStringLiteral("import milan --data {d}/m --out {d}/o.gpkg"),
       1,
       {QStringLiteral("traffic_matrixTS.csv"), QStringLiteral("permission denied")},
       [](CaseFolder& f) {
         if (!f.copyShared(QStringLiteral("milan"), QStringLiteral("m"))) return;
         QFile(f.path(QStringLiteral("m")))
             .setPermissions(QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner | QFile::ReadOther | QFile::ExeOther);
         QFile(f.path(QStringLiteral("m/traffic_matrixTS.csv"))).setPermissions(QFile::ReadOwner | QFile::WriteOwner);
       },
       true},
      {QStringLiteral("milan_out_folder_absent"),
       QStringLiteral("import milan --data {d}/m --out {d}/no/o.gpkg"),
       1,
       {QStringLiteral("o.gpkg")},
       [](CaseFolder& f) { f.copyShared(QStringLiteral("milan"), QStringLiteral("m")); }},
      {QStringLiteral("milan_out_read_only"),
       QStringLiteral("import milan --data {d}/m --out {d}/o.gpkg"),
       1,
       {QStringLiteral("o.gpkg"), QStringLiteral("read-only")},
       [](CaseFolder& f) {
         if (!f.copyShared(QStringLiteral("milan"), QStringLiteral("m"))) return;
         f.write(QStringLiteral("o.gpkg"), "an earlier result");
         QFile(f.path(QStringLiteral("o.gpkg"))).setPermissions(QFile::ReadOwner);
       }},
  };
  return c;
}

// ---- importing a scenario from the user's own files ---------------------------------------------

BadInputCase userFiles(const char* name, const char* options, const char* file, QByteArray bytes, QStringList says, int exitCode = 1) {
  const QString f0 = QString::fromUtf8(file);
  return {QString::fromUtf8(name), QStringLiteral("import scenario --out {d}/o.gpkg ") + QString::fromUtf8(options), exitCode,
          std::move(says), [f0, bytes](CaseFolder& f) { f.write(f0, bytes); }};
}

std::vector<BadInputCase> userFileCases() {
  const QByteArray zones = R"({"type":"FeatureCollection","features":[
    {"type":"Feature","properties":{"class":"park"},"geometry":{"type":"Polygon","coordinates":[[[9.18,45.46],[9.19,45.46],[9.19,45.47],[9.18,45.47],[9.18,45.46]]]}},
    {"type":"Feature","properties":{"class":"park"},"geometry":{"type":"Polygon","coordinates":[[[9.18,45.46],[9.19,45.47],[9.19,45.46],[9.18,45.47],[9.18,45.46]]]}}]})";
  return {
      userFiles("stations_no_lon", "--stations {d}/s.csv", "s.csv", "id,lat\nA,45.46\n", {QStringLiteral("s.csv"), QStringLiteral("lon")}),
      userFiles("stations_lat_text", "--stations {d}/s.csv", "s.csv", "id,lon,lat\nA,9.18,45.46\nB,9.19,north\n",
                {QStringLiteral("s.csv"), QStringLiteral("row 2"), QStringLiteral("lat")}),
      userFiles("stations_lat_95", "--stations {d}/s.csv", "s.csv", "id,lon,lat\nA,9.18,45.46\nB,9.19,95\n",
                {QStringLiteral("s.csv"), QStringLiteral("row 2")}),
      userFiles("stations_capacity_lots", "--stations {d}/s.csv --station-capacity-field cap", "s.csv",
                "id,lon,lat,cap\nA,9.18,45.46,10\nB,9.19,45.47,lots\n",
                {QStringLiteral("s.csv"), QStringLiteral("row 2"), QStringLiteral("field 'cap'")}),
      userFiles("stations_duplicate_id", "--stations {d}/s.csv", "s.csv", "id,lon,lat\nA,9.18,45.46\nA,9.19,45.47\n",
                {QStringLiteral("s.csv"), QStringLiteral("row 2"), QStringLiteral("field 'id'")}),
      userFiles("stations_empty", "--stations {d}/s.csv", "s.csv", "", {QStringLiteral("s.csv")}),
      userFiles("stations_type_bogus", "--stations {d}/s.csv --station-type-field kind", "s.csv", "id,lon,lat,kind\nA,9.18,45.46,giant\n",
                {QStringLiteral("s.csv"), QStringLiteral("row 1"), QStringLiteral("field 'kind'")}),
      userFiles("stations_brazil_zones_milan", "--stations {d}/s.csv --extent 9.1,45.4,9.2,45.5", "s.csv",
                "id,lon,lat\nA,-47.9,-15.8\nB,-47.8,-15.7\n", {QStringLiteral("s.csv")}),
      userFiles("zones_bow_tie", "--zones {d}/z.geojson --zone-class-field class", "z.geojson", zones,
                {QStringLiteral("z.geojson"), QStringLiteral("row 2"), QStringLiteral("self-intersect")}),
      userFiles("zones_not_json", "--zones {d}/z.geojson --zone-class-field class", "z.geojson",
                "{\"type\":", {QStringLiteral("z.geojson")}),
      userFiles("pois_not_a_vector", "--pois {d}/p.gpkg --poi-category-field kind", "p.gpkg", "not a GeoPackage",
                {QStringLiteral("p.gpkg")}),
      userFiles("imagery_text_as_tif", "--imagery {d}/i.tif --extent 9.1,45.4,9.2,45.5", "i.tif", "These are meeting notes.\n",
                {QStringLiteral("i.tif")}),
      userFiles("population_text_as_tif", "--population {d}/i.tif --extent 9.1,45.4,9.2,45.5", "i.tif", "II*\0garbage",
                {QStringLiteral("i.tif")}),
      userFiles("extent_inverted", "--stations {d}/s.csv --extent 9.2,45.5,9.1,45.4", "s.csv", "id,lon,lat\nA,9.18,45.46\n",
                {QStringLiteral("--extent")}, 2),
      userFiles("extent_nan", "--stations {d}/s.csv --extent nan,45.4,9.2,45.5", "s.csv", "id,lon,lat\nA,9.18,45.46\n",
                {QStringLiteral("--extent")}, 2),
      userFiles("crs_geographic", "--stations {d}/s.csv --crs EPSG:4326", "s.csv", "id,lon,lat\nA,9.18,45.46\n", {QStringLiteral("--crs")},
                2),
      userFiles("traffic_without_sites", "--stations {d}/s.csv --traffic {d}/s.csv", "s.csv", "id,lon,lat\nA,9.18,45.46\n",
                {QStringLiteral("s.csv"), QStringLiteral("--traffic-sites")}),
  };
}

// ---- generate's files: the AOI, exclusions and checkpoints ---------------------------------------

BadInputCase generateWith(const char* name, const char* options, const char* file, QByteArray bytes, QStringList says) {
  const QString f0 = QString::fromUtf8(file);
  return {QString::fromUtf8(name), QStringLiteral("generate --project {d}/p.gpkg --cell 300 --samples 1 ") + QString::fromUtf8(options), 1,
          std::move(says), [f0, bytes](CaseFolder& f) {
            f.copy(QStringLiteral("town.gpkg"), QStringLiteral("p.gpkg"));
            f.copy(QStringLiteral("aoi.geojson"));
            if (!f0.isEmpty()) f.write(f0, bytes);
          }};
}

QByteArray geojsonPolygon(const char* coordinates) {
  return QByteArray(
             R"({"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":{"type":"Polygon","coordinates":)") +
         coordinates + "}}]}";
}

std::vector<BadInputCase> generateFileCases() {
  QFile weights(QStringLiteral(NETSPATIAL_SOURCE_DIR "/resources/models/netspatial.nsm"));
  const QByteArray nsm = weights.open(QIODevice::ReadOnly) ? weights.read(1 << 20) : QByteArray();
  return {
      generateWith("aoi_absent", "--aoi {d}/none.geojson", "", {}, {QStringLiteral("none.geojson")}),
      generateWith("aoi_text", "--aoi {d}/a.geojson", "a.geojson", "meeting notes", {QStringLiteral("a.geojson")}),
      generateWith(
          "aoi_points_only", "--aoi {d}/a.geojson", "a.geojson",
          R"({"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[11.12,46.07]}}]})",
          {QStringLiteral("a.geojson"), QStringLiteral("polygon")}),
      generateWith("aoi_in_brazil", "--aoi {d}/a.geojson", "a.geojson",
                   geojsonPolygon("[[[-47.9,-15.8],[-47.8,-15.8],[-47.8,-15.7],[-47.9,-15.8]]]"),
                   {QStringLiteral("a.geojson"), QStringLiteral("outside")}),
      generateWith("aoi_bow_tie", "--aoi {d}/a.geojson", "a.geojson",
                   geojsonPolygon("[[[11.11,46.06],[11.13,46.075],[11.13,46.06],[11.11,46.075],[11.11,46.06]]]"),
                   {QStringLiteral("a.geojson"), QStringLiteral("self-intersect")}),
      generateWith("aoi_empty", "--aoi {d}/a.geojson", "a.geojson", R"({"type":"FeatureCollection","features":[]})",
                   {QStringLiteral("a.geojson")}),
      generateWith("exclude_garbage", "--aoi {d}/aoi.geojson --exclude {d}/x.geojson", "x.geojson", "<<>>", {QStringLiteral("x.geojson")}),
      generateWith("weights_text", "--aoi {d}/aoi.geojson --weights {d}/w.nsm", "w.nsm", "these are not weights",
                   {QStringLiteral("w.nsm")}),
      generateWith("weights_empty", "--aoi {d}/aoi.geojson --weights {d}/w.nsm", "w.nsm", {}, {QStringLiteral("w.nsm")}),
      generateWith("weights_truncated", "--aoi {d}/aoi.geojson --weights {d}/w.nsm", "w.nsm", nsm, {QStringLiteral("w.nsm")}),
      generateWith("weights_absent", "--aoi {d}/aoi.geojson --weights {d}/none.nsm", "", {}, {QStringLiteral("none.nsm")}),
  };
}

// ---- training recipes ------------------------------------------------------------------------------

BadInputCase recipe(const char* name, QByteArray toml, QStringList says, const char* extra = "") {
  return {QString::fromUtf8(name), QStringLiteral("train {d}/r/r.toml ") + QString::fromUtf8(extra), 1, std::move(says),
          [toml](CaseFolder& f) {
            QDir().mkpath(f.path(QStringLiteral("r")));
            f.write(QStringLiteral("r/r.toml"), toml);
          }};
}

std::vector<BadInputCase> recipeCases() {
  const QByteArray model = "[model]\nid = \"bad\"\ngenerator_steps = 2\n";
  const QByteArray data = "[data]\ncities = [{ preset = \"town\", seed = 11 }]\n";
  const QByteArray output = "[evaluation]\ncity = { preset = \"town\", seed = 12 }\n[output]\nweights = \"w.nsm\"\ncard = \"w.md\"\n";
  return {
      {QStringLiteral("recipe_absent"), QStringLiteral("train {d}/none.toml"), 1, {QStringLiteral("none.toml")}},
      recipe("recipe_not_toml", "[[[model", {QStringLiteral("r.toml"), QStringLiteral("line 1")}),
      recipe("recipe_unknown_key", model + "learning_rat = 0.1\n" + data + output,
             {QStringLiteral("r.toml"), QStringLiteral("learning_rat")}),
      recipe("recipe_steps_negative", "[model]\nid = \"bad\"\ngenerator_steps = -5\n" + data + output,
             {QStringLiteral("r.toml"), QStringLiteral("generator_steps")}),
      recipe("recipe_steps_text", "[model]\nid = \"bad\"\ngenerator_steps = \"many\"\n" + data + output,
             {QStringLiteral("r.toml"), QStringLiteral("generator_steps")}),
      recipe("recipe_output_climbs",
             model + data +
                 "[evaluation]\ncity = { preset = \"town\", seed = 12 }\n[output]\nweights = \"../../../../etc/w.nsm\"\ncard = \"w.md\"\n",
             {QStringLiteral("r.toml"), QStringLiteral("weights")}),
      recipe("recipe_scenario_absent", model + "[data]\nscenarios = [{ file = \"none.gpkg\" }]\n" + output, {QStringLiteral("none.gpkg")}),
      recipe("recipe_init_absent", "[model]\nid = \"bad\"\ninit = \"none.nsm\"\n" + data + output, {QStringLiteral("none.nsm")}),
      recipe("recipe_preset_bogus", model + "[data]\ncities = [{ preset = \"village\", seed = 1 }]\n" + output,
             {QStringLiteral("r.toml"), QStringLiteral("village")}),
      recipe("recipe_resume_garbage", model + data + output, {QStringLiteral("junk.nsm")}, "--resume {d}/r/junk.nsm"),
  };
}

}  // namespace

class TestBadInputFiles : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void initTestCase() { m_corpus.initTestCase(); }
  void corpus_data() { m_corpus.addRows(); }
  void corpus() {
    QFETCH(int, index);
    m_corpus.run(index);
  }

  void atLeastOneHundredCases() { QVERIFY(m_corpus.size() >= 100); }

 private:
  netspatial::tests::BadInputCorpus m_corpus{&projectCases,  &trafficCsvCases,   &milanCases,
                                             &userFileCases, &generateFileCases, &recipeCases};
};

QTEST_GUILESS_MAIN(TestBadInputFiles)
#include "tst_badinputfiles.moc"
