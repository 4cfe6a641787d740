"""ModelTrain (Medes appl 9): trains a scikit-learn logistic-regression text classifier on TF-IDF
features of seeded synthetic labelled reviews, and reports held-out accuracy.

Params: documents (default 10000), words_per_document (default 30), test_fraction (default 0.25),
label_noise (default 0.05: share of labels flipped), shuffle_labels (default false: permute all
training labels, a control whose accuracy must fall to chance), seed (default 1).
Class-1 words are spelled "pos...", class-0 words "neg...", shared filler words neither; each document
draws 8 % of its words from its class vocabulary, so the task is learnable but not trivial.
"""
import hashlib
import random

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

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


def _float_param(params, name, default, low, high):
    value = params.get(name, default)
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise BadParam("param %r must be a number, got %r" % (name, value))
    if not low <= value <= high:
        raise BadParam("param %r must be in [%s, %s], got %s" % (name, low, high, value))
    return float(value)


def _word(rng, prefix, syllables):
    return prefix + "".join(rng.choice(_CONSONANTS) + rng.choice(_VOWELS) for _ in range(syllables))


def _corpus(documents, words_per_document, label_noise, rng):
    filler = sorted({_word(rng, "", 2) for _ in range(300)})
    vocabulary = {0: sorted({_word(rng, "neg", 2) for _ in range(80)}),
                  1: sorted({_word(rng, "pos", 2) for _ in range(80)})}
    texts, labels = [], []
    for _ in range(documents):
        label = rng.randrange(2)
        words = [rng.choice(vocabulary[label]) if rng.random() < 0.08 else rng.choice(filler)
                 for _ in range(words_per_document)]
        texts.append(" ".join(words))
        labels.append(1 - label if rng.random() < label_noise else label)
    return texts, labels


def main(params):
    try:
        documents = _int_param(params, "documents", 10000, 10, 500000)
        words = _int_param(params, "words_per_document", 30, 1, 5000)
        test_fraction = _float_param(params, "test_fraction", 0.25, 0.05, 0.9)
        label_noise = _float_param(params, "label_noise", 0.05, 0.0, 0.5)
        seed = _int_param(params, "seed", 1, 0, 2**31 - 1)
        shuffle_labels = params.get("shuffle_labels", False)
        if not isinstance(shuffle_labels, bool):
            raise BadParam("param 'shuffle_labels' must be true or false, got %r" % (shuffle_labels,))
    except BadParam as err:
        return {"error": str(err)}

    rng = random.Random(seed)
    texts, labels = _corpus(documents, words, label_noise, rng)
    order = list(range(documents))
    rng.shuffle(order)
    test_size = max(1, int(round(documents * test_fraction)))
    test_index, train_index = order[:test_size], order[test_size:]
    train_labels = np.array([labels[i] for i in train_index])
    test_labels = np.array([labels[i] for i in test_index])
    if shuffle_labels:
        train_labels = np.random.default_rng(seed).permutation(train_labels)
    if len(set(train_labels.tolist())) < 2:
        return {"error": "the training split holds a single class; use more documents"}

    vectorizer = TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True)
    train_features = vectorizer.fit_transform([texts[i] for i in train_index])
    test_features = vectorizer.transform([texts[i] for i in test_index])
    model = LogisticRegression(C=4.0, max_iter=1000, solver="lbfgs")
    model.fit(train_features, train_labels)

    test_accuracy = float(np.mean(model.predict(test_features) == test_labels))
    train_accuracy = float(np.mean(model.predict(train_features) == train_labels))
    majority = float(max(np.mean(test_labels), 1 - np.mean(test_labels)))
    terms = vectorizer.get_feature_names_out()
    coefficients = model.coef_[0]
    ranked = np.argsort(coefficients, kind="stable")
    top_positive = [str(terms[i]) for i in ranked[::-1][:10]]
    top_negative = [str(terms[i]) for i in ranked[:10]]

    digest = hashlib.sha256()
    digest.update("\n".join(terms).encode())
    digest.update(np.round(coefficients, 4).tobytes())
    return {
        "seed": seed,
        "shuffle_labels": shuffle_labels,
        "train_documents": len(train_index),
        "test_documents": len(test_index),
        "features": int(train_features.shape[1]),
        "test_accuracy": test_accuracy,
        "train_accuracy": train_accuracy,
        "majority_baseline": majority,
        "iterations": int(model.n_iter_[0]),
        "top_positive_terms": top_positive,
        "top_negative_terms": top_negative,
        "checksum": digest.hexdigest(),
    }
