/* OpenCC: conversion between Traditional and Simplified Chinese. */
#include <opencc.h>
