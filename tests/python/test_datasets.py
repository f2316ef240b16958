"""sgae.load on the shipped datasets: formats with their own labels (GML),
string ids and features (LINQS), Planetoid features and labels."""

import common  # noqa: F401  (first: exits 77, SKIP, without NumPy)

import os

import numpy as np

import sgae
from common import CORA_EDGES, CORA_FEATURES, CORA_LABELS, DATA, run


def test_load_dataset_gml_labels():
    ds = sgae.load(os.path.join(DATA, "newman", "karate.gml.zst"))
    assert ds.format == "gml"
    assert ds.graph.num_nodes == 34 and ds.graph.num_edges == 78
    assert ds.labels is not None and ds.labels.shape == (34,) and ds.num_classes == 2
    assert ds.features is None


def test_load_linqs_string_ids_and_features():
    ds = sgae.load(os.path.join(DATA, "linqs", "cora.content.zst"))
    g = ds.graph
    assert g.num_nodes == 2708
    ids = g.ids
    assert ids.dtype == object and isinstance(ids[0], str) and len(set(ids)) == 2708
    assert ds.features.shape == (2708, 1433)
    assert ds.num_classes == 7 and all(isinstance(c, str) for c in ds.class_names)
    assert ds.labels.min() >= 0 and ds.labels.max() == 6
    x = ds.features.toarray()
    assert x.dtype == np.float32 and x.shape == (2708, 1433) and x.flags.writeable
    f = ds.features
    assert x.sum() == f.data.sum()
    assert np.array_equal(np.diff(f.indptr), (x != 0).sum(1))


def test_planetoid_with_features_and_labels():
    ds = sgae.load(CORA_EDGES, features=CORA_FEATURES, labels=CORA_LABELS)
    assert ds.format == "edgelist"
    g = ds.graph
    assert g.num_nodes == 2708 and g.num_edges == 5278
    assert np.array_equal(g.ids, np.arange(2708))
    assert ds.features.shape == (2708, 1433) and ds.features.nnz == 49216
    assert ds.labels.dtype == np.int32 and ds.labels.shape == (2708,)
    assert ds.num_classes == 7


run(globals())
