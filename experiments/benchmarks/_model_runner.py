"""Fit one topic model on one saved count matrix and write its labels and top words.

Run by bench_models.py inside the interpreter of the method's own environment:

    python _model_runner.py METHOD MATRIX.npz K SEED OUT.json

Only the fit (and the assignment of each post to its argmax topic) is timed.
Nothing here imports govsocial unless the method is a govsocial one, so peers run
in environments where govsocial is not installed.
"""

from __future__ import annotations

import json
import sys
import time

import numpy as np
import scipy.sparse as sp


def _words(X: sp.csr_matrix) -> list[list[str]]:
    return [
        np.repeat(X.indices[X.indptr[i] : X.indptr[i + 1]], X.data[X.indptr[i] : X.indptr[i + 1]]).astype(str).tolist()
        for i in range(X.shape[0])
    ]


def fit(method: str, X: sp.csr_matrix, K: int, seed: int) -> tuple[np.ndarray, np.ndarray, float, float]:
    """Return (labels, phi K×V, fit seconds, compile seconds)."""
    compile_seconds = 0.0
    if method.startswith("govsocial_"):
        import govsocial.topics.models as gm

        cls = {
            "govsocial_dmm": lambda: gm.DMM(n_components=K, n_iter=50, alpha=0.1, beta=0.1, random_state=seed),
            "govsocial_lda": lambda: gm.LDA(n_components=K, random_state=seed),
            "govsocial_nmf": lambda: gm.NMF(n_components=K, random_state=seed),
            "govsocial_seeded_lda": lambda: gm.SeededLDA({}, n_components=K, random_state=seed),
        }[method]
        if method != "govsocial_nmf":
            warm = sp.csr_matrix(np.eye(3, dtype=np.int64))
            start = time.perf_counter()
            if method == "govsocial_seeded_lda":
                import pandas as pd

                from govsocial.text.dtm import DocTermMatrix

                warm = DocTermMatrix(warm, np.array(["a", "b", "c"]), pd.DataFrame({"term": ["x", "y", "z"]}))
                gm.SeededLDA({}, n_components=2, n_iter=1, random_state=0).fit(warm)
            elif method == "govsocial_dmm":
                gm.DMM(n_components=2, n_iter=1, random_state=0).fit(warm)
            else:
                gm.LDA(n_components=2, n_iter=1, random_state=0).fit(warm)
            compile_seconds = time.perf_counter() - start
        data = X
        if method == "govsocial_seeded_lda":
            import pandas as pd

            from govsocial.text.dtm import DocTermMatrix

            data = DocTermMatrix(
                X, np.arange(X.shape[0]).astype(str), pd.DataFrame({"term": [f"w{j}" for j in range(X.shape[1])]})
            )
        model = cls()
        start = time.perf_counter()
        model.fit(data)
        seconds = time.perf_counter() - start
        return np.asarray(model.labels_), np.asarray(model.components_), seconds, compile_seconds
    if method == "tweetopic_dmm":
        from tweetopic import DMM

        model = DMM(n_components=K, n_iterations=50, alpha=0.1, beta=0.1, random_state=seed)
        start = time.perf_counter()
        theta = model.fit_transform(X)
        seconds = time.perf_counter() - start
        return theta.argmax(axis=1), np.asarray(model.components_), seconds, 0.0
    if method == "tomotopy_lda":
        import tomotopy as tp

        model = tp.LDAModel(k=K, seed=seed)
        for words in _words(X):
            model.add_doc(words if words else ["__empty__"])
        start = time.perf_counter()
        model.train(1000, workers=1)
        labels = np.array([int(np.argmax(doc.get_topic_dist())) for doc in model.docs])
        seconds = time.perf_counter() - start
        vocab = list(model.used_vocabs)
        phi = np.zeros((K, X.shape[1]))
        for k in range(K):
            dist = model.get_topic_word_dist(k)
            for word, p in zip(vocab, dist):
                if word.isdigit():
                    phi[k, int(word)] = p
        return labels, phi, seconds, 0.0
    if method == "gensim_lda":
        from gensim.models import LdaModel

        corpus = [
            list(zip(X.indices[X.indptr[i] : X.indptr[i + 1]].tolist(), X.data[X.indptr[i] : X.indptr[i + 1]].tolist()))
            for i in range(X.shape[0])
        ]
        start = time.perf_counter()
        model = LdaModel(corpus, num_topics=K, id2word={j: str(j) for j in range(X.shape[1])}, random_state=seed)
        theta = np.zeros((X.shape[0], K))
        for d, doc in enumerate(corpus):
            for k, p in model.get_document_topics(doc, minimum_probability=0.0):
                theta[d, k] = p
        seconds = time.perf_counter() - start
        return theta.argmax(axis=1), model.get_topics(), seconds, 0.0
    if method == "sklearn_lda":
        from sklearn.decomposition import LatentDirichletAllocation

        model = LatentDirichletAllocation(n_components=K, random_state=seed)
        start = time.perf_counter()
        theta = model.fit_transform(X)
        seconds = time.perf_counter() - start
        return theta.argmax(axis=1), model.components_, seconds, 0.0
    if method == "sklearn_nmf":
        from sklearn.decomposition import NMF
        from sklearn.feature_extraction.text import TfidfTransformer

        start = time.perf_counter()
        A = TfidfTransformer(sublinear_tf=True).fit_transform(X)
        model = NMF(n_components=K, init="nndsvda", random_state=seed, max_iter=400)
        W = model.fit_transform(A)
        seconds = time.perf_counter() - start
        return W.argmax(axis=1), model.components_, seconds, 0.0
    if method == "bitermplus_btm":
        import bitermplus as btm

        vocabulary = np.array([str(j) for j in range(X.shape[1])])
        docs = [" ".join(w) for w in _words(X)]
        start = time.perf_counter()
        Xb, vocab, vocab_dict = btm.get_words_freqs(docs)
        vectorized = btm.get_vectorized_docs(docs, vocab)
        biterms = btm.get_biterms(vectorized)
        model = btm.BTM(Xb, vocab, seed=seed, T=K, M=20, alpha=50 / K, beta=0.01)
        model.fit(biterms, iterations=100)
        theta = model.transform(vectorized)
        seconds = time.perf_counter() - start
        phi = np.zeros((K, X.shape[1]))
        matrix = np.asarray(model.matrix_topics_words_)
        for j, word in enumerate(vocab):
            phi[:, int(word)] = matrix[:, j]
        del vocabulary
        return np.nan_to_num(theta).argmax(axis=1), phi, seconds, 0.0
    raise SystemExit(f"unknown method {method!r}")


def main() -> None:
    method, matrix, k, seed, out = sys.argv[1:6]
    X = sp.load_npz(matrix).tocsr().astype(np.int64)
    labels, phi, seconds, compile_seconds = fit(method, X, int(k), int(seed))
    top = np.argsort(-phi, axis=1)[:, :10].tolist()
    with open(out, "w") as f:
        json.dump(
            {
                "labels": np.asarray(labels).astype(int).tolist(),
                "top": top,
                "seconds": seconds,
                "compile_seconds": compile_seconds,
            },
            f,
        )


if __name__ == "__main__":
    main()
