#pragma once
#include <QString>
#include <QStringList>
#include <QByteArray>
