#include "core/geo/projcontext.h"

#include <string>
#include <unordered_map>

namespace netspatial::core::detail {

namespace {

// One per thread: PROJ contexts and the objects made in them are not thread-safe.
struct ThreadProj {
  PJ_CONTEXT* context = nullptr;
  std::unordered_map<std::string, PJ*> operations;

  ThreadProj() {
    context = proj_context_create();
    // Grids must never be fetched from the network at run time (no network here, and reproducibility).
    proj_context_set_enable_network(context, 0);
    // Failures come back as Error values; PROJ's own stderr messages would only be noise.
    proj_log_level(context, PJ_LOG_NONE);
  }
  ~ThreadProj() {
    for (auto& [key, op] : operations) proj_destroy(op);
    proj_context_destroy(context);
  }
};

ThreadProj& threadProj() {
  thread_local ThreadProj instance;
  return instance;
}

}  // namespace

PJ_CONTEXT* projContext() { return threadProj().context; }

QString projErrorText() {
  PJ_CONTEXT* ctx = projContext();
  const int code = proj_context_errno(ctx);
  if (code == 0) return QStringLiteral("unknown PROJ error");
  return QString::fromUtf8(proj_context_errno_string(ctx, code));
}

PJ* cachedOperation(const QString& source, const QString& target, QString* error) {
  ThreadProj& tp = threadProj();
  const std::string key = source.toStdString() + '\x1f' + target.toStdString();
  if (auto it = tp.operations.find(key); it != tp.operations.end()) return it->second;

  PJ* raw = proj_create_crs_to_crs(tp.context, source.toUtf8().constData(), target.toUtf8().constData(), nullptr);
  if (!raw) {
    if (error) *error = projErrorText();
    return nullptr;
  }
  // Traditional GIS order (lon, lat / easting, northing) on both sides, whatever the authority says.
  PJ* normalized = proj_normalize_for_visualization(tp.context, raw);
  proj_destroy(raw);
  if (!normalized) {
    if (error) *error = projErrorText();
    return nullptr;
  }
  tp.operations.emplace(key, normalized);
  return normalized;
}

}  // namespace netspatial::core::detail
