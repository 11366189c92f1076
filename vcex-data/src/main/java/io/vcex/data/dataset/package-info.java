/**
 * Labelled image data sets read from disk: a {@link io.vcex.data.dataset.Dataset} is an indexed
 * list of {@link io.vcex.data.dataset.LabeledImage}s with one image shape.
 *
 * <p>Two readers: {@link io.vcex.data.dataset.FolderDataset} for the format users bring (a folder
 * of PNG/JPEG images plus {@code labels.csv} or {@code labels.jsonl}), and
 * {@link io.vcex.data.dataset.IdxDataset} for IDX files, with {@link io.vcex.data.dataset.Mnist}
 * reading the vendored, checksum-verified MNIST from {@code data/mnist/}.
 *
 * <p>Readers check what they can when a data set is opened (files present, labels well formed) and
 * decode images only when asked; every problem is a {@link io.vcex.core.VcexException} whose
 * message names the file, the line and the value.
 */
package io.vcex.data.dataset;
