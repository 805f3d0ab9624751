#!/usr/bin/env sh
# Parse and fits throughput of ApScheme elements (~1 KB and ~100 KB). Not a test: figures depend
# on the machine and on what else runs on it. Usage: bench/apscheme.sh [extra mvn args, e.g. -o]
set -eu
cd "$(dirname "$0")/.."
exec mvn -q -B -Pbench "$@" test-compile org.codehaus.mojo:exec-maven-plugin:3.5.0:java \
  -Dexec.classpathScope=test \
  -Dexec.mainClass=org.aipipeline.runner.apscheme.ApSchemeBenchmark
