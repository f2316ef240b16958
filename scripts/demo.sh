#!/usr/bin/env bash
# The main job on a shipped data set: set up (install, build), then train a
# VGAE on Cora with its features and print the link-prediction test AUC/AP.
#   scripts/demo.sh [extra sgae train options, e.g. --model gae --json]
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh build
build/src/cli/sgae info datasets/planetoid/cora.edges.zst \
  --features datasets/planetoid/cora.features.mtx.zst --labels datasets/planetoid/cora.labels.zst >&2
exec build/src/cli/sgae train datasets/planetoid/cora.edges.zst \
  --features datasets/planetoid/cora.features.mtx.zst "$@"
