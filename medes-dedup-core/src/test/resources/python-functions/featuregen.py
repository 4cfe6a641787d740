# FeatureGen: pandas + scikit-learn TF-IDF features of generated reviews.
import random

import pandas as pd
from sklearn.feature_extraction.text import TfidfVectorizer

WORDS = ["good", "bad", "fast", "slow", "cheap", "pricey", "great", "awful", "fine", "noisy",
         "quiet", "clean", "dirty", "new", "old", "small", "large", "warm", "cold", "fresh"]


def main(args):
    # Requests are fixed like FunctionBench's inputs; the interpreter's own state still differs per sandbox.
    random.seed(20220405)
    reviews = [" ".join(random.choices(WORDS, k=20)) for _ in range(2000)]
    frame = pd.DataFrame({"review": reviews, "stars": [random.randint(1, 5) for _ in reviews]})
    features = TfidfVectorizer().fit_transform(frame["review"])
    return {"shape": list(features.shape), "mean_stars": float(frame["stars"].mean())}
