"""The fast classifier scores exactly like Rasa's, with its weights laid out for speed."""

import numpy as np
import scipy.sparse as sp
from rasa.engine.graph import ExecutionContext
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from sklearn.linear_model import LogisticRegression

from bot.nlu.classifier import FastLogisticRegressionClassifier


def test_same_probabilities_with_a_contiguous_transpose(tmp_path):
    rng = np.random.default_rng(0)
    X = sp.random(60, 500, density=0.05, format="csr", random_state=1)
    y = rng.integers(0, 4, size=60)
    component = FastLogisticRegressionClassifier.create(
        {**FastLogisticRegressionClassifier.get_default_config()},
        LocalModelStorage(tmp_path),
        Resource("clf"),
        ExecutionContext({}, "test"),
    )
    component.clf = LogisticRegression(max_iter=200).fit(X, y)
    before = component.clf.predict_proba(X[:5])

    component._make_transpose_contiguous()

    assert component.clf.coef_.T.flags["C_CONTIGUOUS"]
    np.testing.assert_allclose(component.clf.predict_proba(X[:5]), before)
