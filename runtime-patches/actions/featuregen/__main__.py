"""FeatureGen (Medes appl 7): scikit-learn TF-IDF features over seeded synthetic documents, summarised
with pandas.

Params: documents (default 3000), words_per_document (default 60), topics (default 5), seed (default 1),
max_features (default 5000).
Each document is drawn mostly from one topic's vocabulary plus shared filler words. Work: unigram +
bigram TfidfVectorizer fit_transform (L2-normalised rows), then a pandas DataFrame per document (topic,
length, non-zero features) aggregated per topic, the terms with the highest mean TF-IDF overall, and the
top terms of each topic's centroid (words of topic k are spelled "t<k>...", so callers can check them).
"""
import hashlib
import random

import numpy as np
import pandas as pd
from sklearn.feature_extraction.text import TfidfVectorizer

_CONSONANTS = "bcdfghklmnprstvz"
_VOWELS = "aeiou"


class BadParam(ValueError):
    pass


def _int_param(params, name, default, low, high):
    value = params.get(name, default)
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int):
        raise BadParam("param %r must be an integer, got %r" % (name, value))
    if not low <= value <= high:
        raise BadParam("param %r must be in [%d, %d], got %d" % (name, low, high, value))
    return value


def _word(rng, syllables):
    return "".join(rng.choice(_CONSONANTS) + rng.choice(_VOWELS) for _ in range(syllables))


def _corpus(documents, words_per_document, topics, seed):
    rng = random.Random(seed)
    filler = sorted({_word(rng, 2) for _ in range(150)})
    topic_words = [sorted({"t%d%s" % (topic, _word(rng, 3)) for _ in range(120)}) for topic in range(topics)]
    texts, labels = [], []
    for _ in range(documents):
        topic = rng.randrange(topics)
        words = [rng.choice(topic_words[topic]) if rng.random() < 0.6 else rng.choice(filler)
                 for _ in range(words_per_document)]
        texts.append(" ".join(words))
        labels.append(topic)
    return texts, labels


def main(params):
    try:
        documents = _int_param(params, "documents", 3000, 2, 500000)
        words = _int_param(params, "words_per_document", 60, 1, 5000)
        topics = _int_param(params, "topics", 5, 1, 50)
        seed = _int_param(params, "seed", 1, 0, 2**31 - 1)
        max_features = _int_param(params, "max_features", 5000, 1, 1000000)
    except BadParam as err:
        return {"error": str(err)}

    texts, labels = _corpus(documents, words, topics, seed)
    vectorizer = TfidfVectorizer(ngram_range=(1, 2), max_features=max_features, sublinear_tf=True)
    features = vectorizer.fit_transform(texts)
    terms = vectorizer.get_feature_names_out()

    row_norms = np.sqrt(np.asarray(features.multiply(features).sum(axis=1)).ravel())
    mean_tfidf = np.asarray(features.mean(axis=0)).ravel()
    top_columns = np.argsort(-mean_tfidf, kind="stable")[:10]

    frame = pd.DataFrame({
        "topic": labels,
        "length": [len(text.split()) for text in texts],
        "nonzero": np.diff(features.indptr),
    })
    per_topic = frame.groupby("topic").agg(
        documents=("length", "size"), mean_length=("length", "mean"), mean_nonzero=("nonzero", "mean"))
    # The centroid of a topic's documents should be dominated by that topic's own words.
    label_array = np.asarray(labels)
    centroid_top_terms = {}
    for topic in sorted(set(labels)):
        centroid = np.asarray(features[label_array == topic].mean(axis=0)).ravel()
        centroid_top_terms[str(topic)] = [str(terms[c]) for c in np.argsort(-centroid, kind="stable")[:5]]

    digest = hashlib.sha256()
    digest.update("\n".join(terms).encode())
    digest.update(np.round(features.data, 8).tobytes())
    digest.update(features.indices.tobytes())
    return {
        "seed": seed,
        "shape": [int(features.shape[0]), int(features.shape[1])],
        "nnz": int(features.nnz),
        "row_norm_min": float(row_norms.min()),
        "row_norm_max": float(row_norms.max()),
        "top_terms": [str(terms[c]) for c in top_columns],
        "per_topic": {str(topic): {k: float(v) for k, v in row.items()} for topic, row in per_topic.iterrows()},
        "topic_centroid_top_terms": centroid_top_terms,
        "nonzero_describe": {k: float(v) for k, v in frame["nonzero"].describe().items()},
        "vocabulary_digest": hashlib.sha256("\n".join(terms).encode()).hexdigest(),
        "checksum": digest.hexdigest(),
    }
