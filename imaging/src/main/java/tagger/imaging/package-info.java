/**
 * Image bytes to model pixels: what the api-server (edge preprocessing) and the worker share —
 * format sniffing, header checks against the pixel cap, decoding, orientation, resize and crop.
 */
package tagger.imaging;
