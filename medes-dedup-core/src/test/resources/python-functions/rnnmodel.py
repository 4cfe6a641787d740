# RNNModel: a small PyTorch LSTM run on a fixed input sequence.
import torch
from torch import nn

torch.manual_seed(20220405)  # fixed weights and input, like FunctionBench's bundled model
MODEL = nn.LSTM(input_size=64, hidden_size=128, num_layers=2, batch_first=True)
INPUT = torch.randn(4, 50, 64)


def main(args):
    with torch.no_grad():
        output, _ = MODEL(INPUT)
    return {"mean": float(output.mean())}
