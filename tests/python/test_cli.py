"""The same seed gives the same embeddings from Python and from `sgae train
--embeddings` on Cora: the .npy and .ids.tsv files byte for byte, and the
metrics of --json exactly, for sparse, dense and no features, a graph from
a messy edge_index, and the CLI's options as keyword arguments (at other
thread counts than the CLI's)."""

import common  # noqa: F401  (first: exits 77, SKIP, without NumPy)

import json
import os

import numpy as np

import sgae
from common import CORA_EDGES, CORA_FEATURES, cli, run, tmpdir

D = tmpdir()
DS = sgae.load(CORA_EDGES, features=CORA_FEATURES)
KEYS = ("test_auc", "test_ap", "val_auc", "val_ap", "epochs", "best_epoch", "final_loss",
        "train_edges", "val_edges", "test_edges", "nodes", "edges", "features")


def compare(name, cli_args, graph, features=None, **opts):
    npy = os.path.join(D, name + ".cli.npy")
    out = cli("train", *cli_args, "--embeddings", npy, "--json", "-q").stdout
    j = json.loads(out)
    res = sgae.train(graph, features, **opts)
    mine, ids = res.save(os.path.join(D, name + ".py.npy"))
    with open(npy, "rb") as a, open(mine, "rb") as b:
        assert a.read() == b.read(), name + ": .npy files differ"
    with open(npy[:-4] + ".ids.tsv", "rb") as a, open(ids, "rb") as b:
        assert a.read() == b.read(), name + ": .ids.tsv files differ"
    assert np.load(npy).tobytes() == res.mu.tobytes()
    d = res.as_dict()
    for k in KEYS:
        assert (j[k] is None and np.isnan(d[k])) or j[k] == d[k], (name, k, j[k], d[k])
    o = res.options
    for k in ("hidden", "latent", "lr", "weight_decay", "self_loops", "seed", "negatives"):
        assert j[k] == o[k], (name, k, j[k], o[k])
    return res


def test_sparse_features():
    compare("sparse", [CORA_EDGES, "--features", CORA_FEATURES, "--epochs", "25", "--seed",
                       "5", "--threads", "1"],
            DS.graph, DS.features, epochs=25, seed=5, threads=2)


def test_dense_features_two_ways():
    args = [CORA_EDGES, "--features", CORA_FEATURES, "--dense-features", "--epochs", "15",
            "--seed", "2", "--model", "gae", "--threads", "2"]
    compare("dense1", args, DS.graph, DS.features.toarray(), epochs=15, seed=2,
            model="gae", threads=1)
    compare("dense2", args, DS.graph, DS.features, dense_features=True, epochs=15, seed=2,
            model="gae")


def test_featureless_from_a_messy_edge_index_with_options():
    ei = DS.graph.edge_index()  # both directions, as PyTorch Geometric
    rng = np.random.default_rng(8)
    loops = np.stack([np.arange(0, 2708, 50)] * 2)
    ei = np.concatenate([ei, ei[:, :3000], loops], axis=1)[:, rng.permutation(ei.shape[1] + 3000
                                                                                + loops.shape[1])]
    g = sgae.Graph(ei.astype(np.int32), num_nodes=2708)
    assert g.num_edges == DS.graph.num_edges and g.self_loops == loops.shape[1]
    compare("options", [CORA_EDGES, "--epochs", "30", "--seed", "11", "--neg-iid", "--no-reject",
                        "--patience", "6", "--eval-every", "2", "--val", "0.1", "--test", "0.2",
                        "--lr", "0.02", "--hidden", "24", "--latent", "8", "--dropout", "0.1",
                        "--pos-weight", "2", "--neg-ratio", "3"],
            g, epochs=30, seed=11, neg_iid=True, reject=False, patience=6, eval_every=2,
            val=0.1, test=0.2, lr=0.02, hidden=24, latent=8, dropout=0.1, pos_weight=2,
            neg_ratio=3)


def test_degree_sampler_and_explicit_model_options():
    compare("degree", [CORA_EDGES, "--features", CORA_FEATURES, "--epochs", "10", "--neg-degree",
                       "--no-self-loops", "--weight-decay", "0"],
            DS.graph, DS.features, epochs=10, neg_degree=True, self_loops=False,
            weight_decay=0)


run(globals())
