#!/usr/bin/env bash
# Builds the self-contained GPU check-and-benchmark bundle: a Java runtime trimmed with jlink to the
# modules jdeps finds, the CUDA backend's jars, the GPU tests and the JUnit console launcher. The bundle
# runs on a machine with no JDK and no network; the CUDA 13 libraries (libcuda, libcudart, libcublas,
# libnvrtc) come from that machine's driver and toolkit install.
#
#   scripts/gpu-bundle.sh [output dir]        (default target/gpu-bundle; also writes <dir>.tar.gz)
#
# On the GPU machine: tar xzf qrnn-gpu-bundle.tar.gz && qrnn-gpu-bundle/bin/gpu-check [results dir] [quick]
set -euo pipefail
cd "$(dirname "$0")/.."

out=$(realpath -m "${1:-target/gpu-bundle}")
limit_mib=64
java_home=${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")}

echo "== building (bench profile, tests compiled, not run)"
mvn -B -ntp -q -Pbench -DskipTests package

rm -rf "$out"
mkdir -p "$out/lib" "$out/bin"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

echo "== jars"
# JavaCPP and its CUDA presets (API + linux-x86_64 JNI glue) and SLF4J, from the runtime class path;
# not ND4J or OpenBLAS: nothing the bundle runs loads them.
mvn -B -ntp -q dependency:copy-dependencies -DincludeScope=runtime -DincludeGroupIds=org.bytedeco,org.slf4j \
    -DexcludeArtifactIds=openblas -DoutputDirectory="$out/lib"
mvn -B -ntp -q dependency:copy-dependencies -DincludeScope=test -DincludeArtifactIds=assertj-core \
    -DoutputDirectory="$out/lib"
# The JUnit Platform version that goes with the pom's JUnit Jupiter 5.x.y is 1.x.y.
junit_platform=$(sed -n 's:.*<junit.version>5\(.*\)</junit.version>.*:1\1:p' pom.xml)
mvn -B -ntp -q dependency:copy -Dartifact="org.junit.platform:junit-platform-console-standalone:$junit_platform" \
    -DoutputDirectory="$out/lib"
mv "$out/lib/junit-platform-console-standalone-$junit_platform.jar" "$out/lib/junit-platform-console-standalone.jar"

# The numeric core, the CUDA backend with its kernel source, and the GPU benchmark.
classes=target/classes
(cd "$classes" && find dev/qrnnstreams/nn -type f; ls dev/qrnnstreams/bench/{GpuBenchmark,Machine,ReportTable,Shape}*.class) \
    > "$work/app.txt"
(cd "$classes" && jar --create --file "$out/lib/qrnn-gpu.jar" @"$work/app.txt")
# The GPU tests and the float64 reference they check against.
tests=target/test-classes
(cd "$tests" && find dev/qrnnstreams/nn/cuda -name '*.class'; \
    ls dev/qrnnstreams/nn/{Float64Qrnn,NumericAssertions,QrnnTestSupport}*.class) > "$work/tests.txt"
(cd "$tests" && jar --create --file "$out/lib/qrnn-gpu-tests.jar" @"$work/tests.txt")
# The test classes gpu-check runs, by name (the console launcher does not scan packages inside jars).
grep -E 'Test\.class$' "$work/tests.txt" | grep -v '\$' | sed 's/\.class$//; s:/:.:g' | sort > "$out/lib/gpu-tests.txt"

echo "== runtime"
modules=$("$java_home/bin/jdeps" --ignore-missing-deps --print-module-deps --multi-release 17 \
    --class-path "$out/lib/*" "$out"/lib/*.jar 2>/dev/null | tail -1)
echo "modules: $modules"
"$java_home/bin/jlink" --add-modules "$modules" --strip-debug --no-man-pages --no-header-files --compress=2 \
    --output "$out/runtime"

cat > "$out/bin/gpu-check" <<'SCRIPT'
#!/bin/sh
# The GPU check: the CUDA backend's tests on the device (a missing device fails them), then the GPU
# benchmark. Results go to the given directory (default ./gpu-results). CUDA comes from CUDA_HOME
# (default /usr/local/cuda) and the system's driver.
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
results=${1:-gpu-results}
mode=${2:-}
cuda=${CUDA_HOME:-/usr/local/cuda}
export LD_LIBRARY_PATH="$cuda/lib64:$cuda/targets/x86_64-linux/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
java="$here/runtime/bin/java"
flags="--add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -Xmx16g"
classpath=$(find "$here/lib" -name '*.jar' ! -name 'junit-platform-console-standalone.jar' | sort | tr '\n' ':')
mkdir -p "$results"
echo "== CUDA backend tests on the device"
tests=0
# shellcheck disable=SC2046,SC2086
"$java" $flags -Dqrnn.cuda.required=true -jar "$here/lib/junit-platform-console-standalone.jar" execute \
    --class-path "$classpath" $(sed 's/^/--select-class /' "$here/lib/gpu-tests.txt") --fail-if-no-tests \
    --reports-dir "$results/junit" --details tree --disable-ansi-colors --disable-banner || tests=$?
echo "== GPU benchmark"
benchmark=0
# shellcheck disable=SC2086
"$java" $flags -cp "$here/lib/*" dev.qrnnstreams.bench.GpuBenchmark "$results" $mode || benchmark=$?
if [ "$tests" -ne 0 ]; then
  echo "gpu-check: the CUDA backend tests failed (exit $tests); see $results/junit" >&2
  exit "$tests"
fi
exit "$benchmark"
SCRIPT
chmod +x "$out/bin/gpu-check"

size_kib=$(du -sk "$out" | cut -f1)
tar -C "$(dirname "$out")" -czf "$out.tar.gz" "$(basename "$out")"
echo "== bundle: $out, $((size_kib / 1024)) MiB unpacked, $(($(stat -c %s "$out.tar.gz") / 1048576)) MiB as $out.tar.gz"
if [ "$size_kib" -gt $((limit_mib * 1024)) ]; then
  echo "bundle is larger than $limit_mib MiB" >&2
  exit 1
fi
