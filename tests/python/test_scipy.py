"""SciPy input: a graph from any sparse format (symmetric or one triangle,
explicit zeros ignored) and SciPy CSR features, which train to the same bits
as the same matrix loaded by libsgae (sorted, unsorted, duplicate entries)."""

import common  # noqa: F401  (first: exits 77, SKIP, without NumPy)

import os

import numpy as np

from common import need_scipy, raises, random_graph, reference_csr, run, tmpdir

need_scipy()
import scipy.io  # noqa: E402
import scipy.sparse as sp  # noqa: E402

import sgae  # noqa: E402

N = 400
EI = random_graph(N, 3000, seed=5)
INDPTR, INDICES, E = reference_csr(N, EI)


def test_every_sparse_format():
    a = sp.coo_matrix((np.ones(EI.shape[1]), (EI[0], EI[1])), shape=(N, N))
    for m in (a, a.tocsr(), a.tocsc(), a.tolil(), a.todok(), sp.csr_array(a), a.T.tocsr()):
        g = sgae.Graph(m)
        assert np.array_equal(g.indptr, INDPTR) and np.array_equal(g.indices, INDICES), type(m)
        assert g.num_edges == E


def test_one_triangle_and_explicit_zeros():
    full = sgae.Graph(EI, num_nodes=N).to_scipy()
    assert full.shape == (N, N) and full.nnz == 2 * E
    g = sgae.Graph.from_scipy(sp.triu(full))
    assert np.array_equal(g.indptr, INDPTR) and np.array_equal(g.indices, INDICES)
    z = sp.triu(full).tocoo()
    extra = sp.coo_matrix((np.zeros(5), ([0, 1, 2, 3, 4], [9, 8, 7, 6, 5])), shape=(N, N))
    withzeros = sp.coo_matrix((np.concatenate([z.data, extra.data]),
                               (np.concatenate([z.row, extra.row]),
                                np.concatenate([z.col, extra.col]))), shape=(N, N))
    g = sgae.Graph(withzeros)
    assert np.array_equal(g.indptr, INDPTR) and np.array_equal(g.indices, INDICES)


def test_bad_matrices():
    raises(sgae.ArgumentError, sgae.Graph, sp.csr_matrix((3, 4)), contains="square")


def features_file(d, n, dim):
    x = sp.random(n, dim, density=0.05, random_state=np.random.RandomState(7), format="coo",
                  dtype=np.float64)
    x.data = np.round(x.data * 8) / 8 + 0.125  # exact in float32, nonzero
    p = os.path.join(d, "x.mtx")
    scipy.io.mmwrite(p, x)
    return p, x.tocsr()


def test_scipy_features_train_like_library_features():
    d = tmpdir()
    g = sgae.Graph(EI, num_nodes=N)
    path, x = features_file(d, N, 40)
    g.save(os.path.join(d, "g.edges"))
    ds = sgae.load(os.path.join(d, "g.edges"), features=path)
    assert ds.features.shape == (N, 40)
    assert ds.graph.num_nodes == N
    opts = dict(epochs=8, seed=4, hidden=16, latent=8)
    ref = sgae.train(ds.graph, ds.features, **opts)
    # the same matrix from SciPy: canonical CSR, float64 values
    r1 = sgae.train(ds.graph, x, **opts)
    assert r1.mu.tobytes() == ref.mu.tobytes()
    assert r1.test_auc == ref.test_auc and r1.features == 40
    # unsorted columns within rows, int32 indptr: sorted by the binding
    xu = x.copy()
    for i in range(N):
        a, b = xu.indptr[i], xu.indptr[i + 1]
        xu.indices[a:b] = xu.indices[a:b][::-1].copy()
        xu.data[a:b] = xu.data[a:b][::-1].copy()
    xu = sp.csr_matrix((xu.data, xu.indices, xu.indptr), shape=xu.shape)
    xu.has_sorted_indices = False
    r2 = sgae.train(ds.graph, xu, **opts)
    assert r2.mu.tobytes() == ref.mu.tobytes()
    # a duplicated entry split in two halves sums to the same value
    c = x.tocoo()
    dup = sp.csr_matrix((np.concatenate([c.data[:10] / 2, c.data[:10] / 2, c.data[10:]]),
                         (np.concatenate([c.row[:10], c.row[:10], c.row[10:]]),
                          np.concatenate([c.col[:10], c.col[:10], c.col[10:]]))),
                        shape=c.shape)
    r3 = sgae.train(ds.graph, sp.coo_matrix(dup), **opts)
    assert r3.mu.tobytes() == ref.mu.tobytes()
    # Features -> SciPy conversion is exact
    back = ds.features.tocsr()
    assert (back != x).nnz == 0 and back.dtype == np.float32


def test_scipy_features_bad_shape():
    g = sgae.Graph(EI, num_nodes=N)
    raises(sgae.ArgumentError, sgae.train, g, sp.csr_matrix((N - 1, 5)), epochs=1,
           contains="rows")


run(globals())
