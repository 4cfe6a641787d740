# ModelTrain: scikit-learn TF-IDF + logistic regression on generated reviews.
import random

from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

WORDS = ["good", "bad", "fast", "slow", "cheap", "pricey", "great", "awful", "fine", "noisy"]


def main(args):
    # Requests are fixed like FunctionBench's inputs; the interpreter's own state still differs per sandbox.
    random.seed(20220405)
    reviews = [" ".join(random.choices(WORDS, k=15)) for _ in range(3000)]
    labels = [int(r.count("good") + r.count("great") > r.count("bad") + r.count("awful")) for r in reviews]
    features = TfidfVectorizer().fit_transform(reviews)
    model = LogisticRegression(max_iter=200).fit(features, labels)
    return {"accuracy": float(model.score(features, labels))}
