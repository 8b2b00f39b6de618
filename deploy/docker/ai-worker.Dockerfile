# syntax=docker/dockerfile:1.7
# The tagger GPU worker image (ONNX Runtime with the CUDA execution provider). Build from the
# repository root:
#   docker build -f deploy/docker/ai-worker.Dockerfile -t tagger/ai-worker:0.1.0 .
# The model directory is mounted at /models/current (TAGGER_MODEL_DIR). Not built in this project's
# CI: it has no Docker daemon and no GPU.

# ---- build with -Pgpu (onnxruntime_gpu instead of the CPU artifact) -------------------------------
FROM maven:3.9.9-eclipse-temurin-17 AS build
WORKDIR /src
ENV MAVEN_OPTS="-Dmaven.repo.local=/deps"
COPY pom.xml ./
COPY common/pom.xml common/
COPY imaging/pom.xml imaging/
COPY transport/pom.xml transport/
COPY models/pom.xml models/
COPY fixtures/pom.xml fixtures/
COPY testkit/pom.xml testkit/
COPY api-server/pom.xml api-server/
COPY ai-worker/pom.xml ai-worker/
COPY launcher/pom.xml launcher/
# this layer (with the 640 MB onnxruntime_gpu jar) changes only when a pom does
RUN mvn -B -q -Pgpu -pl ai-worker -am dependency:go-offline -DexcludeGroupIds=dev.tagger
COPY common/src common/src
COPY imaging/src imaging/src
COPY transport/src transport/src
COPY models/src models/src
COPY fixtures/src fixtures/src
COPY testkit/src testkit/src
COPY ai-worker/src ai-worker/src
# ONNX Runtime unpacks its native libraries (580 MB with the CUDA provider, ~4 s) into a temp folder
# at every start; they are unpacked once here and found through -Donnxruntime.native.path instead
RUN mvn -B -q -Pgpu -pl ai-worker -am -DskipTests package dependency:copy-dependencies \
        -DincludeScope=runtime -DexcludeGroupIds=dev.tagger \
 && mkdir -p /out/app /out/ort \
 && cp common/target/common-*.jar transport/target/transport-*.jar ai-worker/target/ai-worker-*.jar /out/app/ \
 && cd /out/ort && jar xf /src/ai-worker/target/dependency/onnxruntime_gpu-*.jar ai/onnxruntime/native/linux-x64 \
 && mv ai/onnxruntime/native/linux-x64/* . && rm -rf ai

# ---- run: CUDA 12 + cuDNN 9 (what onnxruntime_gpu 1.2x links: libcublasLt.so.12, libcudnn.so.9) ----
FROM nvidia/cuda:12.6.3-cudnn-runtime-ubuntu24.04
LABEL org.opencontainers.image.title="tagger-ai-worker" \
      org.opencontainers.image.description="tagger GPU worker: ONNX Runtime (CUDA 12, cuDNN 9) micro-batching images from RabbitMQ"
# The distribution's OpenJDK on purpose, not a Temurin image: Debian's and Ubuntu's libjavajpeg links
# the system libjpeg-turbo (SIMD), Temurin bundles plain IJG libjpeg, and JPEG decode is the worker's
# CPU bottleneck (measured 12.8 vs 23.5 ms per 1080p image, research/deps.md). The build fails if
# that ever stops being true.
RUN apt-get update \
 && apt-get install -y --no-install-recommends openjdk-17-jre-headless curl libturbojpeg \
 && rm -rf /var/lib/apt/lists/* \
 && ldd /usr/lib/jvm/java-17-openjdk-amd64/lib/libjavajpeg.so | grep -q 'libjpeg\.so' \
 && useradd --system --uid 10001 --home-dir /app tagger
# HEIC and AVIF (iPhone and Android photos): libheif, which Ubuntu 24.04 splits into decoder plugins
RUN apt-get update \
 && apt-get install -y --no-install-recommends libheif1 libheif-plugin-libde265 libheif-plugin-dav1d \
 && rm -rf /var/lib/apt/lists/*
COPY --from=build /src/ai-worker/target/dependency/ /app/lib/
COPY --from=build /out/ort/ /opt/onnxruntime/
COPY --from=build /out/app/ /app/
USER 10001
ENV TAGGER_DEVICE=cuda \
    TAGGER_MODEL_DIR=/models/current \
    TAGGER_ADMIN_HOST=0.0.0.0 \
    TAGGER_ADMIN_PORT=9090 \
    TAGGER_MAX_BATCH=64
EXPOSE 9090
HEALTHCHECK --interval=10s --timeout=3s --start-period=60s CMD curl -fsS http://127.0.0.1:9090/healthz || exit 1
ENTRYPOINT ["java", "-XX:+UseG1GC", "-XX:MaxRAMPercentage=60", "-Donnxruntime.native.path=/opt/onnxruntime", \
            "-cp", "/app/*:/app/lib/*", "tagger.worker.WorkerMain"]
