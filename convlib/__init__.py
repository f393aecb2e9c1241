"""convlib: the helper package of the convolution-arithmetic course."""
from .shapes import (conv_output_size, conv_transpose_output_size, effective_kernel_size,
                     pool_output_size, same_padding, tf_padding)
