#!/usr/bin/env sh
# Advert absorption of a RUNNING runner (e.g. java -jar ... with DB_URL and RABBITMQ_URL set):
# publishes N adverts (-Dadverts=10000) of a few nodes (-Dnodes=10) and prints adverts/s and the
# row writes PostgreSQL counted (-Ddb.url, -Drabbitmq.url). Not a test; figures depend on the
# machine. Usage: bench/node-adverts.sh [-o] [-Dadverts=N] ...
set -eu
cd "$(dirname "$0")/.."
exec mvn -q -B -Pbench "$@" test-compile org.codehaus.mojo:exec-maven-plugin:3.5.0:java \
  -Dexec.classpathScope=test \
  -Dexec.mainClass=org.aipipeline.runner.nodes.AdvertBenchmark
