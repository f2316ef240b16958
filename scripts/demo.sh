#!/usr/bin/env bash
# The main jobs on shipped data sets: set up (install, build), then
#  1. train a VGAE on Cora with its features and print the link-prediction
#     test AUC/AP;
#  2. the nightly community pipeline on email-Eu-core (train, k-means on the
#     embeddings, modularity refinement, scores against the 42 departments):
#     its link-prediction AUC/AP next to modularity, NMI, ARI and AMI.
#   scripts/demo.sh [extra sgae train options, e.g. --model gae --json]
# With --json each job prints one JSON object (two lines on stdout).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh build
build/src/cli/sgae info datasets/planetoid/cora.edges.zst \
  --features datasets/planetoid/cora.features.mtx.zst --labels datasets/planetoid/cora.labels.zst >&2
build/src/cli/sgae train datasets/planetoid/cora.edges.zst \
  --features datasets/planetoid/cora.features.mtx.zst "$@"
json=
for a in "$@"; do [ "$a" = --json ] && json=--json; done
mkdir -p build/demo
echo "communities of email-Eu-core (42 departments as the ground truth):" >&2
exec build/src/cli/sgae communities datasets/email-eu-core/email-Eu-core.txt.zst \
  --truth datasets/email-eu-core/email-Eu-core-department-labels.txt.zst \
  --k 42 --refine -o build/demo/email-communities.tsv $json
