"""RNNModel (Medes appl 8): forward pass of a small seeded torch.nn recurrent model on the CPU.

Params: cell ("gru" (default), "lstm" or "rnn"), batch (default 64), steps (default 200),
input_size (default 64), hidden_size (default 128), layers (default 2), classes (default 10),
seed (default 1).
The model (recurrent layers + linear head + softmax) is built with torch.manual_seed(seed), fed a
seeded random batch, and run under torch.no_grad(). The result carries checks a caller can re-verify:
the last time step of the top layer's output equals that layer's final hidden state, and every
softmax row sums to 1.
"""
import hashlib

import torch
import torch.nn as nn

_CELLS = {"gru": nn.GRU, "lstm": nn.LSTM, "rnn": nn.RNN}


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


class SequenceClassifier(nn.Module):
    def __init__(self, cell, input_size, hidden_size, layers, classes):
        super().__init__()
        self.recurrent = _CELLS[cell](input_size, hidden_size, num_layers=layers, batch_first=True)
        self.head = nn.Linear(hidden_size, classes)

    def forward(self, batch):
        outputs, state = self.recurrent(batch)
        final_hidden = state[0] if isinstance(state, tuple) else state  # LSTM returns (h, c)
        return outputs, final_hidden, torch.softmax(self.head(outputs[:, -1, :]), dim=-1)


def main(params):
    try:
        cell = params.get("cell", "gru")
        if cell not in _CELLS:
            raise BadParam("param 'cell' must be one of %s, got %r" % (sorted(_CELLS), cell))
        batch = _int_param(params, "batch", 64, 1, 4096)
        steps = _int_param(params, "steps", 200, 1, 10000)
        input_size = _int_param(params, "input_size", 64, 1, 4096)
        hidden_size = _int_param(params, "hidden_size", 128, 1, 4096)
        layers = _int_param(params, "layers", 2, 1, 8)
        classes = _int_param(params, "classes", 10, 2, 1000)
        seed = _int_param(params, "seed", 1, 0, 2**31 - 1)
    except BadParam as err:
        return {"error": str(err)}

    torch.manual_seed(seed)
    model = SequenceClassifier(cell, input_size, hidden_size, layers, classes).eval()
    inputs = torch.randn(batch, steps, input_size)
    with torch.no_grad():
        outputs, final_hidden, probabilities = model(inputs)

    last_step_gap = float((outputs[:, -1, :] - final_hidden[-1]).abs().max())
    row_sums = probabilities.sum(dim=-1)
    digest = hashlib.sha256()
    # Rounded so that the digest names the numbers, not the last bits of a BLAS summation order.
    digest.update(torch.round(probabilities * 1e6).to(torch.int64).numpy().tobytes())
    return {
        "seed": seed,
        "cell": cell,
        "parameters": int(sum(p.numel() for p in model.parameters())),
        "output_shape": list(outputs.shape),
        "hidden_shape": list(final_hidden.shape),
        "probabilities_shape": list(probabilities.shape),
        "last_step_vs_final_hidden_max_abs": last_step_gap,
        "softmax_row_sum_min": float(row_sums.min()),
        "softmax_row_sum_max": float(row_sums.max()),
        "predicted_classes": [int(c) for c in probabilities.argmax(dim=-1)[:16]],
        "output_mean": float(outputs.mean()),
        "torch_version": torch.__version__,
        "torch_threads": torch.get_num_threads(),
        "checksum": digest.hexdigest(),
    }
