#!/usr/bin/python3
# bench-generate.py: seconds per training step of the same DCGAN and VAE in
# PyTorch on the CPU, for bench-generate (which runs it with
# OPENBLAS_NUM_THREADS=1: Debian's torch otherwise runs two thread pools on
# two cores). Prints one JSON object {name: seconds per step}.
#
#   bench-generate.py STEPS NAME…   (NAME: dcgan64, dcgan32, vae64, vae32)
#
# SPDX-License-Identifier: GPL-3.0-or-later
import json
import sys
import time

import torch
import torch.nn as nn

torch.set_num_threads(2)
torch.manual_seed(1)
NZ, NGF, NDF, LATENT, BATCH = 100, 64, 64, 64, 64


def dcgan(size):
    blocks = 3 if size == 64 else 2
    w = NGF << blocks
    g = [nn.ConvTranspose2d(NZ, w, 4, 1, 0, bias=False), nn.BatchNorm2d(w), nn.ReLU(True)]
    for _ in range(blocks):
        g += [nn.ConvTranspose2d(w, w // 2, 4, 2, 1, bias=False), nn.BatchNorm2d(w // 2), nn.ReLU(True)]
        w //= 2
    g += [nn.ConvTranspose2d(w, 3, 4, 2, 1, bias=False), nn.Tanh()]
    w = NDF
    d = [nn.Conv2d(3, w, 4, 2, 1, bias=False), nn.LeakyReLU(0.2, inplace=True)]
    for _ in range(blocks):
        d += [nn.Conv2d(w, w * 2, 4, 2, 1, bias=False), nn.BatchNorm2d(w * 2), nn.LeakyReLU(0.2, inplace=True)]
        w *= 2
    d += [nn.Conv2d(w, 1, 4, 1, 0, bias=False), nn.Sigmoid()]
    return nn.Sequential(*g), nn.Sequential(*d)


def dcgan_steps(size, steps):
    G, D = dcgan(size)
    crit = nn.BCELoss()
    oD = torch.optim.Adam(D.parameters(), lr=2e-4, betas=(0.5, 0.999))
    oG = torch.optim.Adam(G.parameters(), lr=2e-4, betas=(0.5, 0.999))
    x = torch.rand(BATCH, 3, size, size) * 2 - 1
    ones, zeros = torch.ones(BATCH), torch.zeros(BATCH)

    def step():
        D.zero_grad()
        err = crit(D(x).view(-1), ones)
        err.backward()
        fake = G(torch.randn(BATCH, NZ, 1, 1))
        err = crit(D(fake.detach()).view(-1), zeros)
        err.backward()
        oD.step()
        G.zero_grad()
        err = crit(D(fake).view(-1), ones)
        err.backward()
        oG.step()
    return timed(step, steps)


def vae_steps(size, steps):
    blocks = 3 if size == 64 else 2
    w = 32
    enc = [nn.Conv2d(3, w, 4, 2, 1), nn.LeakyReLU(0.2)]
    for _ in range(blocks):
        enc += [nn.Conv2d(w, w * 2, 4, 2, 1, bias=False), nn.BatchNorm2d(w * 2), nn.LeakyReLU(0.2)]
        w *= 2
    enc += [nn.Flatten(), nn.Linear(w * 16, 2 * LATENT)]
    dec = [nn.Linear(LATENT, w * 16), nn.Unflatten(1, (w, 4, 4)), nn.ReLU()]
    for _ in range(blocks):
        dec += [nn.ConvTranspose2d(w, w // 2, 4, 2, 1, bias=False), nn.BatchNorm2d(w // 2), nn.ReLU()]
        w //= 2
    dec += [nn.ConvTranspose2d(w, 3, 4, 2, 1), nn.Tanh()]
    E, Dd = nn.Sequential(*enc), nn.Sequential(*dec)
    opt = torch.optim.Adam(list(E.parameters()) + list(Dd.parameters()), lr=1e-3)
    x = torch.rand(BATCH, 3, size, size) * 2 - 1

    def step():
        opt.zero_grad()
        h = E(x)
        mu, lv = h[:, :LATENT], h[:, LATENT:]
        z = mu + torch.exp(0.5 * lv) * torch.randn_like(mu)
        xr = Dd(z)
        recon = ((xr - x) ** 2).sum() / BATCH
        kl = -0.5 * (1 + lv - mu ** 2 - lv.exp()).sum() / BATCH
        (recon + kl).backward()
        opt.step()
    return timed(step, steps)


def timed(step, steps):
    for _ in range(2):
        step()
    start = time.perf_counter()
    for _ in range(steps):
        step()
    return (time.perf_counter() - start) / steps


steps = int(sys.argv[1])
out = {}
for name in sys.argv[2:]:
    size = int(name[-2:])
    out[name] = dcgan_steps(size, steps) if name.startswith("dcgan") else vae_steps(size, steps)
print(json.dumps(out))
