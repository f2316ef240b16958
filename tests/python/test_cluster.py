"""sgae.cluster / sgae.score agree with `sgae cluster` / `sgae score` on real
shipped data: the same embeddings give byte-identical community files and
the same --json figures (k-means with a given k, the automatic k with the
refinement, stable ids against yesterday's partition); the same partition
and truth give the same scores exactly (labels and a .cmty cover); bad
input raises with the library's message."""

import common  # noqa: F401  (first: exits 77, SKIP, without NumPy)

import json
import math
import os

import numpy as np

import sgae
from common import CORA_EDGES, CORA_FEATURES, CORA_LABELS, DATA, cli, raises, run, tmpdir

D = tmpdir()
DS = sgae.load(CORA_EDGES, features=CORA_FEATURES, labels=CORA_LABELS)
RES = sgae.train(DS.graph, DS.features, epochs=20, seed=4)
NPY, IDS = RES.save(os.path.join(D, "cora.npy"))
EMAIL = os.path.join(DATA, "email-eu-core", "email-Eu-core.txt.zst")
EMAIL_TRUTH = os.path.join(DATA, "email-eu-core", "email-Eu-core-department-labels.txt.zst")


def same(a, b, what):
    if isinstance(b, float) and math.isnan(b):
        assert a is None or math.isnan(a), (what, a, b)  # JSON writes NaN as null
    elif a is None or b is None:
        assert a is None and b is None, (what, a, b)
    else:
        assert a == b, (what, a, b)


def cluster_both(name, cli_args, **kw):
    out = os.path.join(D, name + ".cli.tsv")
    j = json.loads(cli("cluster", NPY, "-o", out, "--json", "-q", *cli_args).stdout)
    c = sgae.cluster(RES, **kw)
    mine = os.path.join(D, name + ".py.tsv")
    c.save(mine, DS.graph)
    with open(out, "rb") as a, open(mine, "rb") as b:
        assert a.read() == b.read(), name + ": community files differ"
    d = c.as_dict()
    for key in ("k", "k_choice", "communities", "inertia", "iterations", "converged",
                "restarts", "best_restart", "spherical", "bounds", "distances",
                "distances_naive", "seed_distances", "relocated", "iteration_distances",
                "iteration_changed", "modularity", "modularity_kmeans", "refined",
                "refine_moves", "refine_rounds", "changed_nodes", "nmi_previous"):
        if key in j:
            same(j[key], d[key], (name, key))
    if "automatic_k" in j:
        assert [p["k"] for p in j["automatic_k"]] == [p[0] for p in c.automatic_k]
    return c, j, out


def test_kmeans_given_k_as_the_cli():
    c, j, _ = cluster_both("k7", ["--k", "7", "--seed", "3", "--threads", "1"], k=7, seed=3,
                           threads=2)
    assert c.labels.dtype == np.int32 and c.labels.shape == (2708,)
    assert sorted(set(c.labels.tolist())) == list(range(7))
    assert c.centers.shape == (7, 16) and math.isnan(c.modularity)


def test_euclidean_no_bounds_as_the_cli():
    cluster_both("euc", ["--k", "12", "--euclidean", "--no-bounds", "--restarts", "2",
                         "--max-iter", "30"],
                 k=12, spherical=False, bounds=False, restarts=2, max_iter=30)


def test_automatic_k_refined_with_the_graph_as_the_cli():
    c, j, _ = cluster_both("auto", ["--graph", CORA_EDGES, "--refine", "--k-max", "40"],
                           graph=DS.graph, refine=True, k_max=40)
    assert c.refined and c.k_choice == "automatic" and c.modularity > c.modularity_kmeans


def test_stable_ids_against_yesterday_as_the_cli():
    _, _, yesterday = cluster_both("y", ["--k", "9"], k=9)
    prev, names = sgae.load_partition(yesterday, DS.graph)
    prev = np.array([int(names[p]) for p in prev], np.int32)  # the ids as written
    c, j, _ = cluster_both("t", ["--graph", CORA_EDGES, "--previous", yesterday],
                           graph=DS.graph, previous=prev)
    assert c.k_choice == "previous" and c.changed_nodes == 0  # same embeddings


def score_both(communities_file, truth, comm, truth_py=None, **kw):
    args = [CORA_EDGES, "--communities", communities_file, "--json"]
    if truth:
        args += ["--truth", truth]
    j = json.loads(cli("score", *args).stdout)
    s = sgae.score(DS.graph, comm, truth_py if truth_py is not None else truth, **kw)
    d = s.as_dict()
    for key, v in j.items():
        if key in d:
            same(v, d[key], key)
    return s, j


def test_score_as_the_cli_array_and_file():
    c = sgae.cluster(RES, k=7, seed=2)
    path = os.path.join(D, "s.tsv")
    c.save(path, DS.graph)
    s1, j = score_both(path, CORA_LABELS, c, DS.labels)  # arrays
    s2, _ = score_both(path, CORA_LABELS, path)  # files, as the CLI reads them
    assert s1.as_dict() == s2.as_dict()
    assert 0 < s1.nmi < 1 and s1.nmi == j["nmi"] and s1.ari == j["ari"]
    assert s1.nmi == sgae.compare(DS.labels, c.labels).nmi
    assert s1.modularity == sgae.modularity(DS.graph, c.labels)
    s3, _ = score_both(path, None, c)
    assert s3.nmi is None and s3.modularity == s1.modularity


def test_score_on_email_eu_core_and_a_cover():
    g = sgae.Graph(EMAIL)
    comm, _ = g.components()
    # a partition with -1s and singletons: node i % 7 == 0 unassigned
    comm = np.where(np.arange(g.num_nodes) % 7 == 0, -1, np.arange(g.num_nodes) % 23)
    path = os.path.join(D, "email.tsv")
    sgae.save_partition(path, g, comm)
    j = json.loads(cli("score", EMAIL, "--communities", path, "--truth", EMAIL_TRUTH,
                       "--json").stdout)
    s = sgae.score(g, path, EMAIL_TRUTH)
    for key, v in j.items():
        if key in s.as_dict():
            same(v, s[key], key)
    # the same truth as a SNAP cover (.cmty): one community per department
    lab, names = sgae.load_partition(EMAIL_TRUTH, g, skip_unknown=True)
    ids = g.ids
    cmty = os.path.join(D, "email.cmty")
    with open(cmty, "w") as f:
        for k in range(len(names)):
            f.write("\t".join(str(ids[i]) for i in np.flatnonzero(lab == k)) + "\n")
        f.write("%d %d\n" % (ids[0], ids[1]))  # an overlap: F1 only
    j = json.loads(cli("score", EMAIL, "--communities", path, "--truth", cmty,
                       "--json").stdout)
    s = sgae.score(g, path, cmty)
    assert s.truth_overlapping and j["truth_overlapping"]
    for key in ("f1", "f1_truth", "f1_found", "truth_classes", "modularity"):
        same(j[key], s[key], key)


def test_refine_and_match():
    c = sgae.cluster(RES, k=30)
    before = c.labels.copy()
    lab, info = sgae.refine(DS.graph, c.labels, max_rounds=5)
    assert (c.labels == before).all()  # input untouched
    assert info["modularity_after"] >= info["modularity_before"]
    assert math.isclose(info["modularity_after"], sgae.modularity(DS.graph, lab))
    perm = (lab + 5) % (lab.max() + 1)
    renamed, m = sgae.match(lab, perm)
    assert (renamed == lab).all() and m["changed"] == 0 and m["nmi"] == 1.0


def test_embeddings_files():
    x, nodes = sgae.load_embeddings(NPY)
    assert x.tobytes() == RES.mu.tobytes() and (nodes.ids == DS.graph.ids).all()
    assert (sgae.align_embeddings(x, nodes, DS.graph) == x).all()
    # a graph of 5 nodes: rows 5.. are no node of it (the library names one)
    raises(sgae.ArgumentError, sgae.align_embeddings, x, nodes,
           sgae.Graph(np.zeros((2, 0), np.int64), 5), contains="embeddings")


def test_bad_input_raises_with_the_library_message():
    x = RES.mu.copy()
    x[17, 3] = np.nan
    e = raises(sgae.ArgumentError, sgae.cluster, x, k=3)
    assert "17" in str(e), str(e)  # the library names the row
    raises(sgae.ArgumentError, sgae.cluster, RES.mu, k=5000)
    raises(sgae.ArgumentError, sgae.cluster, RES.mu)  # automatic k without the graph
    raises(sgae.ArgumentError, sgae.cluster, RES.mu, graph=sgae.Graph(EMAIL), k=3)
    bad = np.zeros(2708, np.int32)
    bad[5] = -3
    e = raises(sgae.ArgumentError, sgae.score, DS.graph, bad)
    assert str(e) == sgae._lib.lib.sgae_last_error().decode() and "below -1" in str(e), str(e)
    raises(sgae.ArgumentError, sgae.compare, bad, np.zeros(2708, np.int32))
    raises(sgae.ArgumentError, sgae.score, DS.graph, np.zeros(10, np.int32))
    # a communities file naming a node the graph lacks: file:line
    p = os.path.join(D, "bad.tsv")
    with open(p, "w") as f:
        f.write("node\tcommunity\n0\t1\n999999\t2\n")
    e = raises(sgae.ParseError, sgae.score, DS.graph, p)
    cl = cli("score", CORA_EDGES, "--communities", p, check=False)
    assert cl.returncode == 1 and str(e) in cl.stderr, (str(e), cl.stderr)
    raises(sgae.FileError, sgae.score, DS.graph, os.path.join(D, "missing.tsv"))


run(globals())
