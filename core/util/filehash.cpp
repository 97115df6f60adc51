#include "core/util/filehash.h"

#include <QCryptographicHash>
#include <QFile>

namespace netspatial::core {

Result<QString> fileSha256(const QString& path) {
  QFile f(path);
  if (!f.open(QIODevice::ReadOnly)) return Error(ErrorCode::Io, QStringLiteral("cannot read: %1").arg(f.errorString()), {path});
  QCryptographicHash h(QCryptographicHash::Sha256);
  if (!h.addData(&f)) return Error(ErrorCode::Io, QStringLiteral("cannot read: %1").arg(f.errorString()), {path});
  return QString::fromLatin1(h.result().toHex());
}

}  // namespace netspatial::core
