// Reference outputs of the vendored emotion model (models/emotion/) computed by TensorFlow.js itself,
// for vcex-io's test that runs the same inputs through vcex's own TF.js graph interpreter.
//
// Not part of CI: its output, vcex-io/src/test/resources/reference/emotion_reference.json, is committed.
// Run it from a scratch folder that holds TensorFlow.js (pure-JS CPU backend, no network needed once
// installed) and a PNG decoder:
//
//   mkdir /tmp/tfjsref && cd /tmp/tfjsref && npm init -y && npm install @tensorflow/tfjs@4.22.0 pngjs@7.0.0
//   node /path/to/vcex/tools/reference/emotion_reference.mjs /path/to/vcex
//
// The model is loaded from the files with tf.io.fromMemory (no HTTP). Every input is an RGB image in
// [0, 1] and goes through the preprocessing of @vladmandic/human 3.3.6 (src/gear/emotion.ts, lines
// 56 and 69-73): tf.image.resizeBilinear(image, [64, 64], false) when the image is not 64x64, then
// grey = sum(rgb * [0.2989, 0.5870, 0.1140]), then (grey - 0.5) * 2. The inputs:
//   constant      64x64, every value 0.5
//   pattern       64x64, r = x / 63, g = y / 63, b = ((7x + 13y) mod 64) / 63 (x column, y row)
//   face64-*.png  faces rendered by `./vcex world render` (seed 1, faces 0 and 1), 64x64
//   face128.png   a face rendered at 128x128 (seed 7, face 0), resized to 64x64 by resizeBilinear with
//                 halfPixelCenters false (human's call) and, as a second case, true
// For each it records the softmax output of the graph (node Identity) and the logits before it
// (node .../global_average_pooling2d_1/Mean).
import { createRequire } from 'node:module';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

const require = createRequire(path.join(process.cwd(), 'resolve-here.js'));
const tf = require('@tensorflow/tfjs');
const { PNG } = require('pngjs');

const repo = path.resolve(process.argv[2] || '.');
const modelDir = path.join(repo, 'models/emotion');
const refDir = path.join(repo, 'vcex-io/src/test/resources/reference');
const LOGITS = 'StatefulPartitionedCall/model_1/global_average_pooling2d_1/Mean';
const GREY = [0.2989, 0.5870, 0.1140];

const sha256 = (file) => createHash('sha256').update(fs.readFileSync(file)).digest('hex');

function loadModel() {
  const json = JSON.parse(fs.readFileSync(path.join(modelDir, 'emotion.json'), 'utf8'));
  const specs = [];
  const buffers = [];
  for (const group of json.weightsManifest) {
    specs.push(...group.weights);
    for (const p of group.paths) buffers.push(fs.readFileSync(path.join(modelDir, p)));
  }
  const all = Buffer.concat(buffers);
  const weightData = all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength);
  return tf.loadGraphModel(tf.io.fromMemory({
    modelTopology: json.modelTopology,
    weightSpecs: specs,
    weightData,
    format: json.format,
    generatedBy: json.generatedBy,
    convertedBy: json.convertedBy,
  }));
}

/** @returns a [1, h, w, 3] float32 tensor in [0, 1] */
function readPng(file) {
  const png = PNG.sync.read(fs.readFileSync(file));
  const { width: w, height: h, data } = png; // RGBA bytes
  const px = new Float32Array(h * w * 3);
  for (let i = 0; i < h * w; i++) {
    for (let c = 0; c < 3; c++) px[i * 3 + c] = data[i * 4 + c] / 255;
  }
  return tf.tensor4d(px, [1, h, w, 3]);
}

function constant() {
  return tf.fill([1, 64, 64, 3], 0.5);
}

function pattern() {
  const px = new Float32Array(64 * 64 * 3);
  for (let y = 0; y < 64; y++) {
    for (let x = 0; x < 64; x++) {
      const i = (y * 64 + x) * 3;
      px[i] = x / 63;
      px[i + 1] = y / 63;
      px[i + 2] = ((7 * x + 13 * y) % 64) / 63;
    }
  }
  return tf.tensor4d(px, [1, 64, 64, 3]);
}

/** human's preprocessing of an RGB [0, 1] NHWC image, verbatim from src/gear/emotion.ts. */
function preprocess(image, halfPixelCenters) {
  const resize = image.shape[1] === 64 && image.shape[2] === 64
    ? image : tf.image.resizeBilinear(image, [64, 64], false, halfPixelCenters);
  const channels = tf.mul(resize, tf.tensor1d(GREY, 'float32'));
  const grayscale = tf.sum(channels, 3, true);
  const grayscaleSub = tf.sub(grayscale, tf.scalar(0.5, 'float32'));
  return tf.mul(grayscaleSub, tf.scalar(2.0, 'float32'));
}

const model = await loadModel();
const cases = [
  { name: 'constant', recipe: 'constant 0.5', accepts: [3, 64, 64], resize: 'none', image: constant() },
  { name: 'pattern', recipe: 'r = x/63, g = y/63, b = ((7x + 13y) mod 64)/63', accepts: [3, 64, 64], resize: 'none', image: pattern() },
  { name: 'face64-smiling', file: 'face64-smiling.png', accepts: [3, 64, 64], resize: 'none' },
  { name: 'face64-neutral', file: 'face64-neutral.png', accepts: [3, 64, 64], resize: 'none' },
  { name: 'face128-legacy', file: 'face128.png', accepts: [3, 128, 128], resize: 'bilinear-legacy', halfPixelCenters: false },
  { name: 'face128-half-pixel', file: 'face128.png', accepts: [3, 128, 128], resize: 'bilinear', halfPixelCenters: true },
];
const out = [];
for (const c of cases) {
  const image = c.image || readPng(path.join(refDir, c.file));
  const x = preprocess(image, c.halfPixelCenters || false);
  const probabilities = Array.from(await model.execute(x).data());
  const logits = Array.from(await model.execute(x, LOGITS).data());
  const entry = { name: c.name, accepts: c.accepts, resize: c.resize, logits, probabilities };
  if (c.file) {
    entry.file = c.file;
    entry.fileSha256 = sha256(path.join(refDir, c.file));
  } else {
    entry.recipe = c.recipe;
  }
  out.push(entry);
  console.log(c.name, probabilities.map((p) => p.toFixed(4)).join(' '));
}
const result = {
  tool: 'tools/reference/emotion_reference.mjs',
  tfjs: tf.version.tfjs,
  backend: tf.getBackend(),
  model: { 'emotion.json': sha256(path.join(modelDir, 'emotion.json')), 'emotion.bin': sha256(path.join(modelDir, 'emotion.bin')) },
  classNames: ['angry', 'disgust', 'fear', 'happy', 'sad', 'surprise', 'neutral'],
  greyWeights: GREY,
  cases: out,
};
fs.writeFileSync(path.join(refDir, 'emotion_reference.json'), JSON.stringify(result, null, 2) + '\n');
console.log('wrote', path.join(refDir, 'emotion_reference.json'));
