#!/usr/bin/python3
"""VGAE link prediction on Cora, written the way a PyTorch Geometric user
would (edge_index, x, y as arrays), with sgae doing the training.

    PYTHONPATH=python SGAE_LIBRARY=build/libsgae.so /usr/bin/python3 examples/cora_vgae.py
    (after `meson install` just: python3 examples/cora_vgae.py)

In PyTorch Geometric the data would come from
    dataset = Planetoid(root, "Cora"); data = dataset[0]
    data.edge_index (2 x 10556 int64), data.x (2708 x 1433), data.y (2708)
Here the same Planetoid graph ships with sgae (datasets/planetoid) and is
read with sgae's loaders into the same NumPy layout.
"""

import argparse
import os

import numpy as np

import sgae

here = os.path.dirname(os.path.abspath(__file__))
ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
ap.add_argument("--data", default=os.path.join(here, "..", "datasets", "planetoid"),
                help="directory with cora.edges.zst, cora.features.mtx.zst, cora.labels.zst")
ap.add_argument("--epochs", type=int, default=200)
ap.add_argument("--seed", type=int, default=1)
ap.add_argument("--threads", type=int, default=None, help="OpenMP threads (default: all)")
args = ap.parse_args()

# ---- data, as PyTorch Geometric holds it -----------------------------------
ds = sgae.load(os.path.join(args.data, "cora.edges.zst"),
               features=os.path.join(args.data, "cora.features.mtx.zst"),
               labels=os.path.join(args.data, "cora.labels.zst"))
edge_index = ds.graph.edge_index()  # 2 x 10556 int64, both directions
x = ds.features.toarray()  # 2708 x 1433 float32 (raw bag of words, as Kipf & Welling)
y = ds.labels  # 2708 int32 class ids
print("Cora: %d nodes, %d directed edges, %d features, %d classes"
      % (x.shape[0], edge_index.shape[1], x.shape[1], ds.num_classes))

# ---- model and training -----------------------------------------------------
# PyG: VGAE(GCNEncoder(1433, 32, 16)), Adam(lr=0.01), an 85/5/10 edge split.
data = sgae.Graph(edge_index, num_nodes=x.shape[0])
# Bag-of-words features are 98.7% zeros: handed over as a SciPy CSR matrix
# they are multiplied sparsely (several times faster than the dense x,
# which works too: features=x).
try:
    import scipy.sparse

    features = scipy.sparse.csr_matrix(x)
except ImportError:
    features = x
res = sgae.train(data, features=features, model="vgae", hidden=32, latent=16, lr=0.01,
                 epochs=args.epochs, val=0.05, test=0.10, seed=args.seed,
                 threads=args.threads, progress=sgae.log_progress(every=50))
print("test AUC %.4f  AP %.4f  (validation AUC %.4f, best epoch %d of %d, %.1f ms/epoch)"
      % (res.test_auc, res.test_ap, res.val_auc, res.best_epoch, res.epochs,
         1e3 * res.epoch_seconds))
z = res.mu  # 2708 x 16 float32 embeddings (the array owns them)

# ---- clustering of the embeddings ------------------------------------------
# k-means on mu with k = the number of classes (what `sgae cluster --k 7`
# does: cosine k-means, k-means++ seeding, 3 restarts), then NMI against
# the labels y (scikit-learn's normalized_mutual_info_score).
pred = sgae.cluster(z, k=ds.num_classes, seed=args.seed, threads=args.threads)
print("k-means on mu: %d communities, NMI %.4f against the labels (ARI %.4f)"
      % (pred.communities, sgae.compare(y, pred.labels).nmi, sgae.compare(y, pred.labels).ari))
# with the graph: modularity, and the refinement by local moves
ref = sgae.cluster(z, k=ds.num_classes, graph=data, refine=True, seed=args.seed,
                   threads=args.threads)
sc = sgae.score(data, ref.labels, truth=y)
print("k-means + refinement: modularity %.4f -> %.4f, NMI %.4f"
      % (ref.modularity_kmeans, sc.modularity, sc.nmi))
